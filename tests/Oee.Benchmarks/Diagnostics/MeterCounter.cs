using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Oee.Benchmarks.Diagnostics;

/// <summary>
/// Counts the recordings (each a measurement that an exporter aggregates: a counter's add, a histogram's
/// record) of Orleans' and OEE's synchronous instruments, by instrument name; observable instruments
/// are read only when collected and are not counted. The <c>calls</c> scenario's diagnostic.
/// </summary>
internal sealed class MeterCounter : IDisposable
{
    private readonly ConcurrentDictionary<string, long> recordings = new(StringComparer.Ordinal);
    private readonly MeterListener listener = new();

    public MeterCounter()
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (!instrument.IsObservable
                && (instrument.Meter.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) || instrument.Meter.Name.StartsWith("Oee", StringComparison.Ordinal)))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, _, _, _) => Add(instrument));
        listener.SetMeasurementEventCallback<int>((instrument, _, _, _) => Add(instrument));
        listener.SetMeasurementEventCallback<double>((instrument, _, _, _) => Add(instrument));
        listener.SetMeasurementEventCallback<float>((instrument, _, _, _) => Add(instrument));
        listener.Start();
    }

    /// <summary>The recordings so far by instrument, and from now on zero.</summary>
    public IReadOnlyDictionary<string, long> Take()
    {
        var taken = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var key in recordings.Keys)
        {
            if (recordings.TryRemove(key, out var n))
            {
                taken[key] = n;
            }
        }

        return taken;
    }

    public void Dispose() => listener.Dispose();

    private void Add(Instrument instrument) => recordings.AddOrUpdate(instrument.Name, 1, static (_, n) => n + 1);
}
