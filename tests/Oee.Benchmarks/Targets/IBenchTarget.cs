namespace Oee.Benchmarks.Targets;

/// <summary>A queue's counters, as the engine reports them.</summary>
internal readonly record struct QueueCounters(long Enqueued, long Started, long Finished, int Pending, int Running);

/// <summary>A finished task's id and silo-clock timestamps.</summary>
internal readonly record struct TaskTimes(string Id, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt);

/// <summary>
/// The engine as the benchmark sees it: in-process, through an Orleans client or over REST.
/// Owns what it started (hosts, processes) and stops it when disposed.
/// </summary>
internal interface IBenchTarget : IAsyncDisposable
{
    /// <summary>What this is, for messages and the report ("in-process silo", ...).</summary>
    string Description { get; }

    /// <summary>The processes hosting silos, whose memory the scenarios report.</summary>
    IReadOnlyList<int> SiloProcessIds { get; }

    /// <summary>Submits one task with a generated id; returns the id.</summary>
    Task<string> SubmitAsync(string queue, string handler, string input, CancellationToken cancellationToken);

    /// <summary>Submits one task with a generated id that is scheduled until <paramref name="runAt"/>; returns the id.</summary>
    Task<string> SubmitAtAsync(string queue, string handler, string input, DateTimeOffset runAt, CancellationToken cancellationToken);

    /// <summary>Submits <paramref name="count"/> equal tasks with generated ids in one batch submit; fails unless all were created.</summary>
    Task SubmitBatchAsync(string queue, string handler, string input, int count, CancellationToken cancellationToken);

    /// <summary>
    /// Submits a fan-out graph in one batch submit: a root, then <paramref name="dependents"/> tasks that
    /// each depend on it (written <c>#0</c>); fails unless all were created.
    /// </summary>
    Task SubmitFanOutAsync(string queue, string handler, string input, int dependents, CancellationToken cancellationToken);

    /// <summary>Submits one task with a generated id and a concurrency key; returns the id.</summary>
    Task<string> SubmitKeyedAsync(string queue, string handler, string input, string concurrencyKey, CancellationToken cancellationToken);

    /// <summary>Sets a queue's limit and its per-key limit (running, not paused).</summary>
    Task ConfigurePerKeyAsync(string queue, int maxConcurrency, int maxPerKey, CancellationToken cancellationToken);

    /// <summary>Sets a queue's limit and pause flag.</summary>
    Task ConfigureQueueAsync(string queue, int maxConcurrency, bool paused, CancellationToken cancellationToken);

    /// <summary>A queue's counters.</summary>
    Task<QueueCounters> GetQueueAsync(string queue, CancellationToken cancellationToken);

    /// <summary>Every done task of the queue, page by page.</summary>
    IAsyncEnumerable<TaskTimes> ListDoneAsync(string queue, CancellationToken cancellationToken);

    /// <summary>Removes finished tasks; returns how many.</summary>
    Task<int> ClearFinishedAsync(CancellationToken cancellationToken);
}
