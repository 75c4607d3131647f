using Orleans.CodeGeneration;

namespace Oee.Grains.Contracts;

/// <summary>
/// One queue (key: its name). Orders ready tasks by (priority desc, sequence asc; with priority aging,
/// by level) and starts them while fewer than its concurrency limit run, within its quotas (start
/// rate, per-key limit); refuses new tasks beyond its maxPending. Holds only small entries, never payloads.
/// </summary>
[Version(1)]
[Alias("oee.queue")]
public interface IQueueGrain : IGrainWithStringKey
{
    /// <summary>Backlog, running work, limits and counters.</summary>
    [Alias("status"), ReadOnly]
    Task<QueueStatus> GetStatus(CancellationToken cancellationToken = default);

    /// <summary>
    /// Changes the concurrency limit, pauses or resumes starts, and sets the quotas (see
    /// <see cref="QueueSettingsUpdate"/>) and the callback of tasks submitted without their own;
    /// null members stay. A value out of range, or a callback URL whose host the silo does not allow,
    /// throws <see cref="Client.OeeValidationException"/> naming the field, and nothing changes.
    /// </summary>
    [Alias("configure")]
    Task<QueueStatus> Configure(QueueSettingsUpdate update, CancellationToken cancellationToken = default);
}
