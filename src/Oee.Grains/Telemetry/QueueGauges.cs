using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Oee.Grains.Telemetry;

/// <summary>
/// The numbers of one queue activation that the queue gauges report: written by the queue grain
/// after each change (three plain stores), read by a metrics scrape on another thread. No grain call
/// per scrape: a silo reports the queues that live on it, and a queue lives on one silo at a time.
/// </summary>
internal sealed class QueueGauge(string queue)
{
    private int pending;
    private int running;
    private int scheduled;

    public string Queue { get; } = queue;

    public int Pending => Volatile.Read(ref pending);

    public int Running => Volatile.Read(ref running);

    public int Scheduled => Volatile.Read(ref scheduled);

    public void Publish(int pendingNow, int runningNow, int scheduledNow)
    {
        Volatile.Write(ref pending, pendingNow);
        Volatile.Write(ref running, runningNow);
        Volatile.Write(ref scheduled, scheduledNow);
    }
}

/// <summary>The queue activations of this process, as the observable gauges' callbacks see them.</summary>
internal static class QueueGauges
{
    private static readonly ConcurrentDictionary<QueueGauge, byte> Live = new();

    /// <summary>A gauge for a queue activation; <see cref="Untrack"/> it when the activation goes away.</summary>
    public static QueueGauge Track(string queue)
    {
        var gauge = new QueueGauge(queue);
        Live.TryAdd(gauge, 0);
        return gauge;
    }

    public static void Untrack(QueueGauge gauge) => Live.TryRemove(gauge, out _);

    public static IEnumerable<Measurement<long>> Measure(Func<QueueGauge, int> read)
    {
        foreach (var gauge in Live.Keys)
        {
            yield return new Measurement<long>(read(gauge), new KeyValuePair<string, object?>(OeeMetrics.QueueTag, gauge.Queue));
        }
    }
}
