namespace Oee.Grains.Contracts;

/// <summary>
/// One queue (key: its name). Orders ready tasks by (priority desc, sequence asc) and starts
/// them while fewer than its concurrency limit run. Holds only small entries, never payloads.
/// </summary>
[Alias("oee.queue")]
public interface IQueueGrain : IGrainWithStringKey
{
    /// <summary>Adds a task and returns its sequence number (a task already held keeps its number) and whether it started at once.</summary>
    [Alias("enqueue")]
    Task<EnqueueResult> Enqueue(string taskId, int priority);

    /// <summary>Engine use (batch submit): reserves <paramref name="count"/> consecutive sequence numbers and returns the first.</summary>
    [Alias("reserve")]
    Task<long> Reserve(int count);

    /// <summary>As <see cref="Enqueue"/>, at a sequence number reserved with <see cref="Reserve"/> (a task already held keeps its number).</summary>
    [Alias("enqueue-reserved")]
    Task<EnqueueResult> EnqueueReserved(string taskId, int priority, long sequence);

    /// <summary>The task leaves the queue (finished, cancelled or purged): its entry or slot is freed.</summary>
    [Alias("leave")]
    Task Leave(string taskId);

    /// <summary>A dispatched task comes back (its silo is stopping): it returns to the backlog in its old place.</summary>
    [Alias("requeue")]
    Task Requeue(string taskId);

    /// <summary>Backlog, running work, limits and counters.</summary>
    [Alias("status"), ReadOnly]
    Task<QueueStatus> GetStatus();

    /// <summary>Changes the concurrency limit and/or pauses or resumes starts.</summary>
    [Alias("configure")]
    Task<QueueStatus> Configure(QueueSettingsUpdate update);
}
