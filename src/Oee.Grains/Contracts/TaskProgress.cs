namespace Oee.Grains.Contracts;

/// <summary>The latest progress a task's body reported (<c>TaskContext.ReportProgressAsync</c>).</summary>
/// <param name="Percent">0–100.</param>
/// <param name="Message">An optional message (at most <see cref="MaxMessageLength"/> characters).</param>
/// <param name="At">When the engine recorded it (engine clock).</param>
[GenerateSerializer, Immutable, Alias("oee.event-task-progress")]
public sealed record TaskProgress([property: Id(0)] int Percent, [property: Id(1)] string? Message, [property: Id(2)] DateTimeOffset At)
{
    /// <summary>The longest progress message kept.</summary>
    public const int MaxMessageLength = 500;
}
