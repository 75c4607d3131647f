using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Oee.Benchmarks.Targets;

/// <summary>
/// Stands in for a Prometheus scrape of the in-process silo: a reader that collects every metric every
/// 15 s (a common scrape interval) and throws the batch away after walking it.
/// </summary>
internal sealed class DiscardingMetricExporter : BaseExporter<Metric>
{
    public const int IntervalMilliseconds = 15_000;

    public override ExportResult Export(in Batch<Metric> batch)
    {
        foreach (var metric in batch)
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                _ = point.StartTime;
            }
        }

        return ExportResult.Success;
    }
}
