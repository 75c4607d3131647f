using System.Globalization;
using Oee.Tests.Shared;

namespace Oee.Benchmarks.Measurement;

/// <summary>
/// A process's garbage-collection totals at one moment: time paused, collections of each generation (a gen1
/// collection counted as gen1 only), bytes allocated. Two samples give what a run cost; read in this process
/// from the runtime, in a silo process from .NET's runtime meter on its <c>/metrics</c>.
/// </summary>
internal readonly record struct GcSample(double PauseSeconds, long Gen0, long Gen1, long Gen2, double AllocatedBytes)
{
    public static GcSample OfThisProcess()
    {
        var (all0, all1, all2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        return new(GC.GetTotalPauseDuration().TotalSeconds, all0 - all1, all1 - all2, all2, GC.GetTotalAllocatedBytes());
    }

    /// <summary>From a process's <c>/metrics</c> (OEE's default telemetry exports .NET's meter <c>System.Runtime</c>).</summary>
    public static async Task<GcSample> ScrapeAsync(HttpClient http, Uri metrics, CancellationToken cancellationToken)
    {
        var text = PrometheusText.Parse(await http.GetStringAsync(metrics, cancellationToken));
        if (!text.Has("dotnet_gc_pause_time_seconds_total"))
        {
            throw new InvalidOperationException($"{metrics} has no .NET runtime metrics (is Oee:Telemetry:RuntimeMetrics off?).");
        }

        long Collections(int generation) => (long)text.Sum("dotnet_gc_collections_total", "gc_heap_generation=gen" + generation.ToString(CultureInfo.InvariantCulture));
        return new(text.Sum("dotnet_gc_pause_time_seconds_total"), Collections(0), Collections(1), Collections(2), text.Sum("dotnet_gc_heap_total_allocated_bytes_total"));
    }

    public static GcSample operator -(GcSample after, GcSample before) =>
        new(after.PauseSeconds - before.PauseSeconds, after.Gen0 - before.Gen0, after.Gen1 - before.Gen1, after.Gen2 - before.Gen2, after.AllocatedBytes - before.AllocatedBytes);
}
