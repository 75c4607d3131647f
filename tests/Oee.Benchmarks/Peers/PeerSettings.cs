namespace Oee.Benchmarks.Peers;

/// <summary>
/// How the peers are configured (docs/BENCHMARKS.md, "Peers"): each gets the settings that suit a
/// no-op workload on 2 cores, chosen by trying a few at small sizes; <c>--peer-workers</c> overrides
/// the worker/thread counts.
/// </summary>
internal static class PeerSettings
{
    /// <summary>
    /// Hangfire.InMemory workers. The bodies are no-ops, so workers only compete for the 2 cores with
    /// the submitting threads: 4 (two per core) drained fastest among 2, 4 and 10 (Hangfire's own
    /// default, min(5 × cores, 20)).
    /// </summary>
    public const int HangfireInMemoryWorkers = 4;

    /// <summary>
    /// Hangfire.PostgreSql workers: Hangfire's default on 2 cores (10). A worker spends its time waiting for
    /// the database (fetch, state changes), so more workers than cores keep PostgreSQL busy.
    /// </summary>
    public const int HangfirePostgresWorkers = 10;

    /// <summary>
    /// Hangfire.PostgreSql's queue poll interval in drains (its default is 15 s, which would leave
    /// workers idle between polls whenever the queue is momentarily empty).
    /// </summary>
    public static readonly TimeSpan HangfirePostgresDrainPoll = TimeSpan.FromMilliseconds(50);

    /// <summary>Poll intervals of Hangfire.PostgreSql latency runs: the 50 ms, and a shorter 10 ms.</summary>
    public static readonly TimeSpan[] HangfirePostgresLatencyPolls = [TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(10)];

    /// <summary>
    /// Quartz RAMJobStore thread pool size (its default is 10). No-op jobs: 4, as for Hangfire.
    /// </summary>
    public const int QuartzThreads = 4;

    /// <summary>How often a drain polls an in-memory peer's succeeded count (as OEE's queue counters).</summary>
    public static readonly TimeSpan MemoryCompletionPoll = TimeSpan.FromMilliseconds(5);

    /// <summary>How often a drain polls Hangfire.PostgreSql's succeeded count (a count query each time).</summary>
    public static readonly TimeSpan PostgresCompletionPoll = TimeSpan.FromMilliseconds(20);
}
