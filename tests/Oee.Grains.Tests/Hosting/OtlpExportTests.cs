using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Oee.Grains.Hosting;
using Oee.Grains.Telemetry;
using Oee.Tests.Shared;

namespace Oee.Grains.Tests.Hosting;

/// <summary>
/// OTLP over HTTP/protobuf reaches each signal's path under the collector's base address, whether that comes from OEE's own
/// Oee:Telemetry:OtlpEndpoint or the standard OTEL_EXPORTER_OTLP_ENDPOINT; a signal's own standard variable turns its
/// export on. Before, OEE set the base address on the exporters as it was: every export went to "/" and the collector
/// answered 404 (seen with a capture server). A real HTTP listener plays the collector.
/// </summary>
public sealed class OtlpExportTests : IDisposable
{
    private readonly HttpListener collector = new();
    private readonly ConcurrentQueue<string> paths = new();
    private readonly string address;

    public OtlpExportTests()
    {
        address = $"http://127.0.0.1:{LoopbackPorts.Next().ToString(CultureInfo.InvariantCulture)}/";
        collector.Prefixes.Add(address);
        collector.Start();
        _ = Answer();
    }

    public void Dispose() => collector.Close();

    [Fact]
    public void OEE_s_own_endpoint_over_HTTP_sends_metrics_and_traces_to_their_paths()
    {
        Export(new() { ["Oee:Telemetry:OtlpEndpoint"] = address, ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf" });

        Assert.Contains("/v1/metrics", paths);
        Assert.Contains("/v1/traces", paths);
        Assert.DoesNotContain("/", paths);
    }

    [Fact]
    public void The_standard_endpoint_over_HTTP_sends_metrics_and_traces_to_their_paths()
    {
        Export(new() { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = address.TrimEnd('/'), ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf" });

        Assert.Contains("/v1/metrics", paths);
        Assert.Contains("/v1/traces", paths);
    }

    [Fact]
    public void The_traces_own_standard_endpoint_alone_turns_tracing_on()
    {
        Export(new() { ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = address + "custom/traces", ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf" });

        Assert.Contains("/custom/traces", paths);
    }

    [Theory]
    [InlineData("localhost:4317")]
    [InlineData("collector 4317")]
    public void A_standard_endpoint_that_is_not_an_http_URL_is_refused_naming_the_variable(string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = value }).Build();

        var error = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddOeeTelemetry(configuration, "oee-test"));
        Assert.Contains("OTEL_EXPORTER_OTLP_ENDPOINT", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_base_address_keeps_its_own_path()
    {
        Assert.Equal(new Uri("http://c:4318/otlp/v1/traces"), OtlpSignalEndpoint.Under(new Uri("http://c:4318/otlp"), OtlpSignalEndpoint.TracesPath));
        Assert.Equal(new Uri("http://c:4318/v1/metrics"), OtlpSignalEndpoint.Under(new Uri("http://c:4318"), OtlpSignalEndpoint.MetricsPath));
    }

    /// <summary>Records one of OEE's metrics and one of its spans in a host set up by AddOeeTelemetry, and flushes both.</summary>
    private void Export(Dictionary<string, string?> settings)
    {
        settings["Oee:Telemetry:TraceSampleRatio"] = "1";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging();
        services.AddOeeTelemetry(configuration, "oee-test");
        using var provider = services.BuildServiceProvider();
        // Each provider exists only when its signal goes somewhere (the traces' own variable alone: no metrics).
        var meters = provider.GetService<MeterProvider>();
        var tracers = provider.GetRequiredService<TracerProvider>();

        using (var meter = new Meter(OeeTelemetry.MeterName))
        {
            meter.CreateCounter<long>("oee.test.exported").Add(1);
            using (new ActivitySource(OeeTelemetry.ActivitySourceName).StartActivity("oee.test"))
            {
            }

            Assert.True(meters?.ForceFlush(60_000) ?? true);
            Assert.True(tracers.ForceFlush(60_000));
        }
    }

    private async Task Answer()
    {
        while (collector.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await collector.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            paths.Enqueue(context.Request.Url!.AbsolutePath);
            context.Response.StatusCode = 200;
            context.Response.Close();
        }
    }
}
