namespace Oee.Grains.Contracts;

/// <summary>A queue's state: backlog, running work, limits and counters.</summary>
[GenerateSerializer, Alias("oee.queue-status")]
public sealed record QueueStatus
{
    /// <summary>The queue name.</summary>
    [Id(0)] public required string Name { get; init; }

    /// <summary>Tasks waiting to start.</summary>
    [Id(1)] public int Pending { get; init; }

    /// <summary>Waiting tasks per priority (only priorities with at least one task).</summary>
    [Id(2)] public Dictionary<int, int> PendingByPriority { get; init; } = [];

    /// <summary>Tasks dispatched and not yet finished.</summary>
    [Id(3)] public int Running { get; init; }

    /// <summary>The most tasks of this queue that run at once, cluster-wide.</summary>
    [Id(4)] public int MaxConcurrency { get; init; }

    /// <summary>True when new starts are held; running tasks finish.</summary>
    [Id(5)] public bool Paused { get; init; }

    /// <summary>Tasks enqueued since the queue activated.</summary>
    [Id(6)] public long Enqueued { get; init; }

    /// <summary>Tasks dispatched since the queue activated.</summary>
    [Id(7)] public long Started { get; init; }

    /// <summary>Tasks that left the queue after being dispatched since the queue activated.</summary>
    [Id(8)] public long Finished { get; init; }

    /// <summary>The sequence number the next enqueued task gets.</summary>
    [Id(9)] public long NextSequence { get; init; }

    /// <summary>The most tasks that may wait (0: no limit); a submit beyond it is refused as queue full.</summary>
    [Id(30)] public int MaxPending { get; init; }

    /// <summary>The most starts per second on average (0: no limit).</summary>
    [Id(31)] public double StartRate { get; init; }

    /// <summary>The most starts at once when the start rate's bucket is full (0 when there is no start rate).</summary>
    [Id(32)] public int StartBurst { get; init; }

    /// <summary>The most running tasks with the same concurrency key (0: no limit).</summary>
    [Id(33)] public int MaxPerKey { get; init; }

    /// <summary>Priority aging: a waiting task ranks one level higher after each full interval (zero: off).</summary>
    [Id(34)] public TimeSpan AgingInterval { get; init; }

    /// <summary>Running tasks per concurrency key (only keys with at least one running task).</summary>
    [Id(35)] public Dictionary<string, int> RunningByKey { get; init; } = [];

    /// <summary>Waiting tasks held back because their key already runs <see cref="MaxPerKey"/> tasks.</summary>
    [Id(36)] public int HeldByKeyLimit { get; init; }

    /// <summary>Tasks held until a time (delayed starts and retries waiting for their backoff).</summary>
    [Id(20)] public int Scheduled { get; init; }

    /// <summary>The default retry policy of tasks submitted without one; null when none.</summary>
    [Id(21)] public RetryPolicy? Retry { get; init; }

    /// <summary>The default maxAttempts of tasks submitted without one; null: the silo's default.</summary>
    [Id(22)] public int? MaxAttempts { get; init; }

    /// <summary>When the earliest scheduled task is due; null when none is scheduled.</summary>
    [Id(23)] public DateTimeOffset? NextDueAt { get; init; }

    /// <summary>The default timeout of tasks submitted without one; null when none.</summary>
    [Id(50)] public TimeSpan? Timeout { get; init; }

    /// <summary>The callback URL of tasks submitted without their own; null when none.</summary>
    [Id(95)] public string? CallbackUrl { get; init; }

    /// <summary>Which events <see cref="CallbackUrl"/> receives.</summary>
    [Id(96)] public WebhookEvents CallbackEvents { get; init; }
}
