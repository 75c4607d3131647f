namespace Oee.Grains.Contracts;

/// <summary>
/// One queue (key: its name). Orders ready tasks by (priority desc, sequence asc) and starts
/// them while fewer than its concurrency limit run. Holds only small entries, never payloads.
/// </summary>
[Alias("oee.queue")]
public interface IQueueGrain : IGrainWithStringKey
{
    /// <summary>Backlog, running work, limits and counters.</summary>
    [Alias("status"), ReadOnly]
    Task<QueueStatus> GetStatus(CancellationToken cancellationToken = default);

    /// <summary>Changes the concurrency limit and/or pauses or resumes starts.</summary>
    [Alias("configure")]
    Task<QueueStatus> Configure(QueueSettingsUpdate update, CancellationToken cancellationToken = default);
}
