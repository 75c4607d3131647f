using Orleans.CodeGeneration;

namespace Oee.Grains.Queues;

/// <summary>
/// The engine's own messages to a queue (the same grain as <see cref="Contracts.IQueueGrain"/>):
/// what tasks and batch submits send. Not part of the public contract: a caller that could send
/// these could free a running task's slot and break the concurrency limit.
/// </summary>
[Version(1)]
[Alias("oee.engine.queue")]
internal interface IQueueEngineGrain : IGrainWithStringKey
{
    /// <summary>
    /// Adds a task (with its concurrency key, or null) and returns its sequence number (a task already
    /// held keeps its number) and whether it started at once; or, when the queue holds its
    /// <c>maxPending</c> waiting tasks, refuses a new task (<see cref="EnqueueResult.QueueFull"/>) —
    /// unless <paramref name="admitted"/>: the task was accepted before (it waited for its
    /// dependencies) and only now becomes ready, so it is never refused.
    /// </summary>
    [Alias("enqueue")]
    Task<EnqueueResult> Enqueue(string taskId, int priority, string? concurrencyKey, bool admitted = false);

    /// <summary>
    /// A task that waits for its dependencies takes its place in submit order now (its batch's
    /// reserved number, or the next) and learns the queue's defaults; it enters the queue when ready.
    /// </summary>
    [Alias("place-waiting")]
    Task<EnqueueResult> PlaceWaiting(long? reservedSequence);

    /// <summary>Batch submit: reserves <paramref name="count"/> consecutive sequence numbers and returns the first.</summary>
    [Alias("reserve")]
    Task<long> Reserve(int count);

    /// <summary>
    /// As <see cref="Enqueue"/>, at a sequence number reserved with <see cref="Reserve"/> (a task already held keeps its number).
    /// Kept for the task grains of silos of the previous version during a rolling upgrade (now <see cref="EnqueueReadyOrStart"/>).
    /// </summary>
    [Alias("enqueue-reserved")]
    Task<EnqueueResult> EnqueueReserved(string taskId, int priority, long sequence, string? concurrencyKey, bool admitted = false);

    /// <summary>
    /// A waiting task that became ready (admitted at its submit, so never refused as full), at the sequence it got then,
    /// as <see cref="EnqueueReserved"/>, except when the queue dispatches it at once: then, as <see cref="EnqueueOrStart"/>,
    /// it sends no start call and answers <see cref="EnqueueResult.StartNow"/>, and the task starts itself once its record
    /// says queued. The queue writes the entry itself (durable mode) before answering.
    /// </summary>
    [Alias("enqueue-ready")]
    Task<EnqueueResult> EnqueueReadyOrStart(string taskId, int priority, long sequence, string? concurrencyKey);

    /// <summary>
    /// A submit's enqueue (at the next sequence, or at <paramref name="reservedSequence"/>), as
    /// <see cref="Enqueue"/>, except when the queue dispatches the task at once: then it sends no
    /// start call and answers <see cref="EnqueueResult.StartNow"/>, and the caller (the task itself)
    /// starts once its record is durable. One message instead of two; should the caller never start
    /// it, the queue's lease check asks the task to start as after any lost start call.
    /// With <paramref name="withRecord"/> (durable mode), the queue does not write the entry of a task it
    /// dispatches at once, nor of one it already held: it answers <see cref="EnqueueResult.EntryLeftToCaller"/>,
    /// and the caller writes the entry with its record in one transaction (one commit on the way to the
    /// start instead of two). A task that waits in the backlog is written by the queue before this returns.
    /// <paramref name="leaving"/>: tasks of the caller's silo that leave the queue (<see cref="QueueLeaves"/>),
    /// freed first, as by a <see cref="LeaveMany"/> call just before this one.
    /// </summary>
    [Alias("enqueue-start-leaving")]
    Task<EnqueueResult> EnqueueOrStart(string taskId, int priority, long? reservedSequence, string? concurrencyKey, bool withRecord, string[]? leaving);

    /// <summary>The task leaves the queue (finished, cancelled or purged): its entry or slot is freed.</summary>
    [Alias("leave")]
    Task Leave(string taskId);

    /// <summary>
    /// Several tasks leave the queue at once (<see cref="QueueLeaves"/>: the finished tasks of one silo
    /// that gathered while its previous call to this queue was under way), as many <see cref="Leave"/> calls, with
    /// one dispatch for the slots they free. Answers whether tasks still wait to start (the queue wants
    /// its slots back at once).
    /// </summary>
    [Alias("leave-many-answered")]
    Task<bool> LeaveMany(string[] taskIds);

    /// <summary>A dispatched task comes back (its silo is stopping): it returns to the backlog in its old place.</summary>
    [Alias("requeue")]
    Task Requeue(string taskId);

    /// <summary>
    /// Holds a task until <paramref name="dueAt"/>, then queues it at its priority and sequence (a
    /// delayed start, a retry's backoff, or a manual retry due at once; a running task's slot is freed). Without a
    /// <paramref name="sequence"/> the task gets the next one (a delayed submit). Returns once stored.
    /// A scheduled task is not refused for <c>maxPending</c>, neither now nor when it comes due.
    /// </summary>
    [Alias("schedule")]
    Task<EnqueueResult> Schedule(string taskId, int priority, DateTimeOffset dueAt, long? sequence, string? concurrencyKey);
}
