using Oee.Grains.Contracts;

namespace Oee.Api.Dashboard;

/// <summary>One queue at one sample: its depth and how fast tasks started and finished since the sample before.</summary>
/// <param name="Pending">Tasks waiting.</param>
/// <param name="Running">Tasks dispatched and not finished.</param>
/// <param name="StartedPerSecond">Starts per second since the previous sample (0 on the queue's first sample).</param>
/// <param name="FinishedPerSecond">Finishes (done, error, or cancelled after dispatch) per second since the previous sample.</param>
public sealed record QueueSample(int Pending, int Running, double StartedPerSecond, double FinishedPerSecond);

/// <summary>The whole cluster's queues at one moment.</summary>
/// <param name="At">When the sample was taken.</param>
/// <param name="Pending">Tasks waiting, all queues.</param>
/// <param name="Running">Tasks running, all queues.</param>
/// <param name="StartedPerSecond">Starts per second since the previous sample, all queues.</param>
/// <param name="FinishedPerSecond">Finishes per second since the previous sample, all queues.</param>
/// <param name="Queues">Each queue's sample, by name.</param>
public sealed record DashboardSample(
    DateTimeOffset At,
    int Pending,
    int Running,
    double StartedPerSecond,
    double FinishedPerSecond,
    IReadOnlyDictionary<string, QueueSample> Queues);

/// <summary>
/// The queues' recent history, kept for a window: each sample turns the queues' start and finish
/// counters into rates over the time since the previous sample. A counter that went down (its
/// queue re-activated and counts from zero again) counts from zero. Not thread-safe: one writer,
/// readers take <see cref="Snapshot"/> under the caller's lock.
/// </summary>
internal sealed class QueueHistory(TimeSpan window)
{
    private readonly LinkedList<DashboardSample> samples = new();
    private Dictionary<string, (long Started, long Finished)> lastCounters = new(StringComparer.Ordinal);
    private DateTimeOffset? lastAt;

    /// <summary>Adds a sample of the given queues taken at <paramref name="at"/> and forgets those older than the window.</summary>
    public DashboardSample Record(DateTimeOffset at, IReadOnlyCollection<QueueStatus> queues)
    {
        var seconds = lastAt is { } previous && at > previous ? (at - previous).TotalSeconds : 0;
        var counters = new Dictionary<string, (long Started, long Finished)>(queues.Count, StringComparer.Ordinal);
        var byQueue = new SortedDictionary<string, QueueSample>(StringComparer.Ordinal);
        foreach (var queue in queues)
        {
            counters[queue.Name] = (queue.Started, queue.Finished);
            var started = 0.0;
            var finished = 0.0;
            if (seconds > 0 && lastCounters.TryGetValue(queue.Name, out var before))
            {
                started = Delta(before.Started, queue.Started) / seconds;
                finished = Delta(before.Finished, queue.Finished) / seconds;
            }

            byQueue[queue.Name] = new QueueSample(queue.Pending, queue.Running, started, finished);
        }

        var sample = new DashboardSample(
            at,
            byQueue.Values.Sum(q => q.Pending),
            byQueue.Values.Sum(q => q.Running),
            byQueue.Values.Sum(q => q.StartedPerSecond),
            byQueue.Values.Sum(q => q.FinishedPerSecond),
            byQueue);
        samples.AddLast(sample);
        while (samples.First is { } oldest && oldest.Value.At < at - window)
        {
            samples.RemoveFirst();
        }

        lastCounters = counters;
        lastAt = at;
        return sample;
    }

    /// <summary>The samples in the window, oldest first.</summary>
    public DashboardSample[] Snapshot() => [.. samples];

    private static long Delta(long before, long now) => now >= before ? now - before : now;
}
