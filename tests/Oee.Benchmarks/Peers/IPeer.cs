namespace Oee.Benchmarks.Peers;

/// <summary>
/// Another job system measured beside OEE in the same run, hosted in the benchmark process and
/// running the same no-op workload. Owns what it started and stops it when disposed.
/// </summary>
internal interface IPeer : IAsyncDisposable
{
    /// <summary>The figures' <c>mode</c> parameter ("hangfire-inmemory", "quartz-ram", ...).</summary>
    string Mode { get; }

    /// <summary>What runs and how it is configured, for the progress log.</summary>
    string Description { get; }

    /// <summary>The settings that matter, reported as figure parameters (workers, poll interval, ...).</summary>
    IReadOnlyDictionary<string, string> Parameters { get; }

    /// <summary>
    /// How many callers submit at once in a drain: the benchmark's concurrency for an asynchronous
    /// client API, one per core for a synchronous one (more threads only contend for 2 cores).
    /// </summary>
    int MaxSubmitters { get; }

    /// <summary>How often the drain asks the peer how many jobs have succeeded.</summary>
    TimeSpan CompletionPoll { get; }

    /// <summary>
    /// Submits one no-op job. With <paramref name="index"/> ≥ 0 its body records when it started
    /// (<see cref="PeerBodies"/>, run <paramref name="generation"/>); -1 is a plain no-op.
    /// </summary>
    ValueTask SubmitAsync(int generation, int index, CancellationToken cancellationToken);

    /// <summary>Jobs the peer's own API reports as succeeded (executed) since it started.</summary>
    Task<long> SucceededAsync(CancellationToken cancellationToken);
}
