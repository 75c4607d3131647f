using Orleans.Concurrency;

namespace Oee.Benchmarks.Floor;

/// <summary>
/// The card floor's queue (one per queue name): orders waiting tasks by priority and sequence, counts
/// the running ones against a limit, and counts the finished ones for the harness to poll.
/// </summary>
[Alias("oee.bench-card-queue")]
public interface ICardQueueGrain : IGrainWithStringKey
{
    /// <summary>Sets how many of its tasks may run at once (before a run, untimed).</summary>
    [Alias("open")]
    Task Open(int maxRunning);

    /// <summary>A new task enters: it starts now when a running place is free, else it waits in order and is sent a start later.</summary>
    [Alias("enter")]
    Task<CardEntry> Enter(string taskId, int priority);

    /// <summary>Tasks that finished on one silo leave together: their running places go to the next waiting tasks.</summary>
    [Alias("leave-many")]
    Task LeaveMany(string[] taskIds);

    /// <summary>How many tasks have left this queue finished (what the harness polls, as OEE's drain polls its queue's counters).</summary>
    [ReadOnly]
    [Alias("finished")]
    Task<long> Finished();
}
