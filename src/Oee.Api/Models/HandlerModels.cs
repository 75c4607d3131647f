namespace Oee.Api.Models;

/// <summary>A registered task handler.</summary>
/// <param name="Name">The name a task gives as its handler.</param>
/// <param name="InputShape">What its input should look like; null when any JSON is accepted.</param>
public sealed record HandlerResponse(string Name, string? InputShape);
