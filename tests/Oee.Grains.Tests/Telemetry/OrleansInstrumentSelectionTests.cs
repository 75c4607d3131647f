using System.Diagnostics.Metrics;
using Oee.Grains.Telemetry;

namespace Oee.Grains.Tests.Telemetry;

/// <summary>
/// Which of Orleans' instruments are exported: its per-message grain-directory counters only with
/// <c>Oee:Telemetry:OrleansDirectoryMetrics</c>, its per-call and per-activation instruments only with
/// <c>Oee:Telemetry:OrleansActivationMetrics</c>, the rest of its meter always (with Orleans' meter on);
/// a left-out instrument is never even enabled, so Orleans' recordings to it cost nothing. In the memory
/// cluster's collection so that it never runs beside <see cref="OrleansInstrumentNamesTests"/>, whose
/// listener enables every instrument of a meter named as Orleans' (these fakes included).
/// </summary>
[Collection(Cluster.MemoryClusterCollection.Name)]
public sealed class OrleansInstrumentSelectionTests
{
    private static readonly string[] DirectoryCounters =
        ["orleans-directory-lookups-local-issued", "orleans-directory-lookups-cache-successes", "orleans-directory-registrations", "orleans-directory-registrations-single-act-local", "orleans-directory-unregistrations-many-issued"];

    private static readonly string[] ActivationCounters =
        ["orleans-catalog-activation-created", "orleans-catalog-activation-destroyed", "orleans-catalog-activation-shutdown", "orleans-grains"];

    private static readonly string[] ActivationHistograms =
        ["orleans-app-requests-latency", "orleans-catalog-activation-latency", "orleans-catalog-deactivation-latency"];

    // Orleans' counters of rare events, kept whatever the settings (with Orleans' meter on).
    private static readonly string[] Kept = ["orleans-messaging-rejected", "orleans-catalog-activation-failed-to-activate"];

    private sealed record Export(HashSet<string> Names, HashSet<string> Enabled);

    private static Export Exported(params (string Key, string Value)[] settings)
    {
        // Instruments named as Orleans names them, in a meter of Orleans' name, created once OEE's set-up listens.
        using var meter = new Meter(OeeTelemetry.OrleansMeterName);
        HashSet<string> enabled = [];
        var names = MetricNameCollector.Export(settings, () =>
        {
            var instruments = new List<Instrument>();
            foreach (var name in DirectoryCounters.Concat(ActivationCounters).Concat(Kept))
            {
                var counter = meter.CreateCounter<long>(name);
                counter.Add(1);
                instruments.Add(counter);
            }

            foreach (var name in ActivationHistograms.Append("orleans-directory-registration-duration"))
            {
                var histogram = meter.CreateHistogram<double>(name, "ms");
                histogram.Record(0.5);
                instruments.Add(histogram);
            }

            enabled = [.. instruments.Where(i => i.Enabled).Select(i => i.Name)];
        });
        return new Export(names, enabled);
    }

    [Fact]
    public void By_default_the_directory_and_activation_instruments_are_left_out_and_never_enabled_and_the_rest_is_exported()
    {
        var export = Exported();
        Assert.All(Kept, name => Assert.Contains(name, export.Names));
        Assert.All(DirectoryCounters.Concat(ActivationCounters).Concat(ActivationHistograms).Append("orleans-directory-registration-duration"), name =>
        {
            Assert.DoesNotContain(name, export.Names);
            Assert.DoesNotContain(name, export.Enabled);
        });
    }

    [Fact]
    public void With_the_directory_setting_on_the_directory_counters_are_exported_too()
    {
        var export = Exported(("Oee:Telemetry:OrleansDirectoryMetrics", "true"));
        Assert.All(Kept, name => Assert.Contains(name, export.Names));
        Assert.All(DirectoryCounters, name => Assert.Contains(name, export.Names));
        Assert.Contains("orleans-directory-registration-duration", export.Names);
        Assert.All(ActivationCounters.Concat(ActivationHistograms), name => Assert.DoesNotContain(name, export.Names));
    }

    [Fact]
    public void With_the_activation_setting_on_the_per_call_and_per_activation_instruments_are_exported_too()
    {
        var export = Exported(("Oee:Telemetry:OrleansActivationMetrics", "true"));
        Assert.All(Kept, name => Assert.Contains(name, export.Names));
        Assert.All(ActivationCounters.Concat(ActivationHistograms), name => Assert.Contains(name, export.Names));
        Assert.All(DirectoryCounters, name => Assert.DoesNotContain(name, export.Names));
    }

    [Fact]
    public void Without_Orleans_meter_none_of_its_instruments_are_exported()
    {
        var export = Exported(("Oee:Telemetry:OrleansMetrics", "false"), ("Oee:Telemetry:OrleansDirectoryMetrics", "true"), ("Oee:Telemetry:OrleansActivationMetrics", "true"));
        Assert.All(Kept.Concat(DirectoryCounters).Concat(ActivationCounters), name => Assert.DoesNotContain(name, export.Names));
        Assert.Empty(export.Enabled);
    }
}
