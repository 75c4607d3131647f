using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Oee.Benchmarks.Diagnostics;

/// <summary>
/// Sums what Orleans' and OEE's counters record (activations created and collected, messages sent,
/// ...), by instrument name; gauges are not read. The <c>calls</c> scenario's diagnostic.
/// </summary>
internal sealed class MeterCounter : IDisposable
{
    private readonly ConcurrentDictionary<string, double> sums = new(StringComparer.Ordinal);
    private readonly MeterListener listener = new();

    public MeterCounter()
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            var counts = instrument.GetType().Name.StartsWith("Counter", StringComparison.Ordinal)
                || instrument.GetType().Name.StartsWith("UpDownCounter", StringComparison.Ordinal);
            if (counts && (instrument.Meter.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) || instrument.Meter.Name.StartsWith("Oee", StringComparison.Ordinal)))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => Add(instrument, value));
        listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => Add(instrument, value));
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => Add(instrument, value));
        listener.Start();
    }

    /// <summary>The sums so far, and from now on zero.</summary>
    public IReadOnlyDictionary<string, double> Take()
    {
        var taken = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var key in sums.Keys)
        {
            if (sums.TryRemove(key, out var n))
            {
                taken[key] = n;
            }
        }

        return taken;
    }

    public void Dispose() => listener.Dispose();

    private void Add(Instrument instrument, double value) =>
        sums.AddOrUpdate(instrument.Name, value, (_, n) => n + value);
}
