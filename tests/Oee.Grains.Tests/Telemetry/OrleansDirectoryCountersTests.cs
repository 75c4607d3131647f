using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using Oee.Grains.Hosting;
using Oee.Grains.Telemetry;

namespace Oee.Grains.Tests.Telemetry;

/// <summary>
/// Orleans' per-message grain-directory counters stay out of the exported metrics unless
/// <c>Oee:Telemetry:OrleansDirectoryMetrics</c>; the rest of Orleans' meter is exported as before.
/// </summary>
public sealed class OrleansDirectoryCountersTests
{
    private static readonly string[] DirectoryCounters =
        ["orleans-directory-lookups-local-issued", "orleans-directory-lookups-cache-successes", "orleans-directory-registrations", "orleans-directory-registrations-single-act-local", "orleans-directory-unregistrations-many-issued"];

    private const string Kept = "orleans-catalog-activation-created";

    /// <summary>Remembers the names of the metrics it is given.</summary>
    private sealed class NameCollector : BaseExporter<Metric>
    {
        private readonly Lock gate = new();

        public HashSet<string> Names { get; } = new(StringComparer.Ordinal);

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

    private static HashSet<string> Exported(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        var collector = new NameCollector();
        using var reader = new BaseExportingMetricReader(collector);
        var services = new ServiceCollection().AddOeeTelemetry(configuration, "test", metrics: m => m.AddReader(reader));
        using var provider = services.BuildServiceProvider();
        _ = provider.GetRequiredService<MeterProvider>();

        // Instruments named as Orleans names them, in a meter of Orleans' name.
        using var meter = new Meter(OeeTelemetry.OrleansMeterName);
        foreach (var name in DirectoryCounters.Append(Kept))
        {
            meter.CreateCounter<long>(name).Add(1);
        }

        meter.CreateHistogram<double>("orleans-directory-registration-duration", "ms").Record(0.5);
        reader.Collect();
        return collector.Names;
    }

    [Fact]
    public void By_default_the_directory_counters_are_left_out_and_the_rest_of_Orleans_meter_is_exported()
    {
        var names = Exported();
        Assert.Contains(Kept, names);
        Assert.All(DirectoryCounters, name => Assert.DoesNotContain(name, names));
        Assert.DoesNotContain("orleans-directory-registration-duration", names);
    }

    [Fact]
    public void With_the_setting_on_the_directory_counters_are_exported_too()
    {
        var names = Exported(("Oee:Telemetry:OrleansDirectoryMetrics", "true"));
        Assert.Contains(Kept, names);
        Assert.All(DirectoryCounters, name => Assert.Contains(name, names));
        Assert.Contains("orleans-directory-registration-duration", names);
    }

    [Fact]
    public void Without_Orleans_meter_none_of_its_instruments_are_exported()
    {
        var names = Exported(("Oee:Telemetry:OrleansMetrics", "false"), ("Oee:Telemetry:OrleansDirectoryMetrics", "true"));
        Assert.DoesNotContain(Kept, names);
        Assert.All(DirectoryCounters, name => Assert.DoesNotContain(name, names));
    }
}
