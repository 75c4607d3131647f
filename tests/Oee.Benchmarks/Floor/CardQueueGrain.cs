using Oee.Grains.Cluster;
using Orleans.Concurrency;

namespace Oee.Benchmarks.Floor;

/// <summary>
/// The card floor's QueueGrain: a priority + sequence order of waiting task ids and a running count
/// against a limit, nothing else (no storage, settings, leases, timers, metrics or events). Reentrant,
/// as OEE's queue: no call here awaits anything.
/// </summary>
[Reentrant]
internal sealed class CardQueueGrain : Grain, ICardQueueGrain
{
    // Higher priority first, then lower sequence (the order OEE's scheduler keeps).
    private readonly PriorityQueue<string, (int Priority, long Sequence)> waiting = new(Comparer<(int Priority, long Sequence)>.Create(
        static (a, b) => a.Priority != b.Priority ? b.Priority.CompareTo(a.Priority) : a.Sequence.CompareTo(b.Sequence)));

    private int maxRunning = int.MaxValue;
    private int running;
    private long nextSequence;
    private long finished;

    Task ICardQueueGrain.Open(int maxRunning)
    {
        this.maxRunning = maxRunning;
        return Task.CompletedTask;
    }

    Task<CardEntry> ICardQueueGrain.Enter(string taskId, int priority)
    {
        var sequence = nextSequence++;
        if (running < maxRunning && waiting.Count == 0)
        {
            running++;
            return Task.FromResult(new CardEntry(sequence, StartNow: true));
        }

        waiting.Enqueue(taskId, (priority, sequence));
        return Task.FromResult(new CardEntry(sequence, StartNow: false));
    }

    Task ICardQueueGrain.LeaveMany(string[] taskIds)
    {
        running -= taskIds.Length;
        finished += taskIds.Length;
        while (running < maxRunning && waiting.TryDequeue(out var next, out _))
        {
            running++;
            _ = GrainFactory.Reference<ICardTaskGrain>(next).Start();
        }

        return Task.CompletedTask;
    }

    Task<long> ICardQueueGrain.Finished() => Task.FromResult(finished);
}
