using Orleans.Concurrency;

namespace Oee.Benchmarks.Floor;

/// <summary>The card floor's TaskGrain: one activation per task, submitted once, run through the worker, gone when done.</summary>
[Alias("oee.bench-card-task")]
public interface ICardTaskGrain : IGrainWithStringKey
{
    /// <summary>
    /// Enters the task in <paramref name="queue"/> and answers its sequence number once the queue took
    /// it (as OEE's submit answers once its task is enqueued); a task the queue starts at once runs on after the answer.
    /// </summary>
    [Alias("submit")]
    Task<long> Submit(string queue, int priority, string input);

    /// <summary>The queue's start for a task that waited (one-way: the queue never waits for its tasks, as OEE's does not).</summary>
    [OneWay]
    [Alias("start")]
    Task Start();
}
