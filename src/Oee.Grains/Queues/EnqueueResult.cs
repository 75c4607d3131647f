namespace Oee.Grains.Queues;

/// <summary>A queue's answer to an enqueue.</summary>
/// <param name="Sequence">The task's place in submit order within its queue (meaningless when refused).</param>
/// <param name="Dispatched">True when the task was started at once; false when it waits in the backlog (or was refused).</param>
/// <param name="Retry">The queue's default retry policy, for a task submitted without its own.</param>
/// <param name="MaxAttempts">The queue's default attempts, for a task submitted without its own.</param>
[GenerateSerializer, Immutable, Alias("oee.enqueue-result")]
internal sealed record EnqueueResult(
    [property: Id(0)] long Sequence,
    [property: Id(1)] bool Dispatched,
    [property: Id(20)] Contracts.RetryPolicy? Retry = null,
    [property: Id(21)] int? MaxAttempts = null)
{
    /// <summary>The queue's default timeout, for a task submitted without its own.</summary>
    [Id(50)] public TimeSpan? Timeout { get; init; }

    /// <summary>The queue's callback URL, for a task submitted without its own.</summary>
    [Id(95)] public string? CallbackUrl { get; init; }

    /// <summary>Which events the queue's callback URL receives.</summary>
    [Id(96)] public Contracts.WebhookEvents CallbackEvents { get; init; }

    /// <summary>True when the queue refused the task because <see cref="MaxPending"/> tasks wait: nothing of it was stored.</summary>
    [Id(30)] public bool QueueFull { get; init; }

    /// <summary>When refused: how long the caller should wait before submitting again.</summary>
    [Id(31)] public TimeSpan RetryAfter { get; init; }

    /// <summary>When refused: the queue's limit of waiting tasks.</summary>
    [Id(32)] public int MaxPending { get; init; }

    /// <summary>
    /// True when the queue dispatched the task at once and left its start to the caller (the task
    /// itself, see <see cref="IQueueEngineGrain.EnqueueOrStart"/>): no start call follows.
    /// </summary>
    [Id(90)] public bool StartNow { get; init; }

    /// <summary>
    /// True when the queue did not write the task's entry (<see cref="IQueueEngineGrain.EnqueueOrStart"/> with its record):
    /// the caller writes it in the same transaction as its record, before the submit is answered.
    /// </summary>
    [Id(115)] public bool EntryLeftToCaller { get; init; }

    /// <summary>
    /// True when tasks wait to start in the queue after this call (at its limit, paused or held by a
    /// quota): a task of the caller's silo that leaves it does not linger (<see cref="QueueLeaves"/>).
    /// </summary>
    [Id(135)] public bool TasksWaiting { get; init; }

    /// <summary>The answer to a task refused by a full queue.</summary>
    public static EnqueueResult Full(int maxPending, TimeSpan retryAfter) =>
        new(-1, Dispatched: false) { QueueFull = true, TasksWaiting = true, MaxPending = maxPending, RetryAfter = retryAfter };
}
