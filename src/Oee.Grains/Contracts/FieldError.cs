namespace Oee.Grains.Contracts;

/// <summary>One invalid field of a request and what is wrong with it.</summary>
[GenerateSerializer, Immutable, Alias("oee.field-error")]
public sealed record FieldError([property: Id(0)] string Field, [property: Id(1)] string Message);
