using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using Oee.Grains.Hosting;

namespace Oee.Grains.Tests.Telemetry;

/// <summary>An OpenTelemetry exporter that remembers the names of the metrics it is given.</summary>
internal sealed class MetricNameCollector : BaseExporter<Metric>
{
    private readonly Lock gate = new();

    public HashSet<string> Names { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The names of the metrics <c>AddOeeTelemetry</c> exports with these settings: <paramref name="record"/> runs
    /// once its meter provider listens, then one collection.
    /// </summary>
    public static HashSet<string> Export(IEnumerable<(string Key, string Value)> settings, Action record)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        var collector = new MetricNameCollector();
        using var reader = new BaseExportingMetricReader(collector);
        var services = new ServiceCollection().AddOeeTelemetry(configuration, "test", metrics: m => m.AddReader(reader));
        using var provider = services.BuildServiceProvider();
        _ = provider.GetRequiredService<MeterProvider>();
        record();
        reader.Collect();
        return collector.Names;
    }

    public override ExportResult Export(in Batch<Metric> batch)
    {
        lock (gate)
        {
            foreach (var metric in batch)
            {
                Names.Add(metric.Name);
            }
        }

        return ExportResult.Success;
    }
}
