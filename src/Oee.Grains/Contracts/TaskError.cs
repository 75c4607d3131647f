namespace Oee.Grains.Contracts;

/// <summary>Why a task ended in <see cref="OeeTaskStatus.Error"/>.</summary>
/// <param name="Message">The failure's message.</param>
/// <param name="Type">The exception type or error kind, e.g. "System.InvalidOperationException".</param>
[GenerateSerializer, Immutable, Alias("oee.task-error")]
public sealed record TaskError([property: Id(0)] string Message, [property: Id(1)] string Type);
