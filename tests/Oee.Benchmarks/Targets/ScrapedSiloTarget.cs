using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Oee.Benchmarks.Hosting;
using Oee.Grains.Client;
using Oee.Grains.Hosting;
using Oee.Tests.Shared;
using OpenTelemetry.Metrics;

namespace Oee.Benchmarks.Targets;

/// <summary>
/// The in-process silo (as <see cref="InProcessTarget"/>) on a web host with Kestrel on 127.0.0.1 that,
/// when asked, serves <c>/metrics</c> as a silo does (OpenTelemetry's Prometheus exporter: OEE's and
/// Orleans' meters); without it the web host runs and serves nothing, so both variants of the
/// <c>observed</c> scenario run on the same kind of host.
/// </summary>
internal static class ScrapedSiloTarget
{
    /// <summary>The started target, and the URL of its <c>/metrics</c> when it serves one.</summary>
    public static async Task<(IBenchTarget Target, Uri? Metrics)> StartAsync(TargetSettings settings, bool serveMetrics, CancellationToken cancellationToken)
    {
        var layout = ClusterLayout.Create(1);
        var port = LoopbackPorts.Next();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });

        // As the other in-process hosts: only the harness's settings (no appsettings.json of the silo beside the harness).
        builder.Configuration.Sources.Clear();
        QuietHost.Apply(builder, layout.SiloSettings(0, settings.Engine));
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        builder.UseOrleans(silo => silo.AddOee(builder.Configuration));
        builder.Services.AddOeeTelemetry(builder.Configuration, "oee-bench", metrics: serveMetrics ? m => m.AddPrometheusExporter() : null);
        var app = builder.Build();
        if (serveMetrics)
        {
            app.MapPrometheusScrapingEndpoint();
        }

        var host = new StoppingHost(app);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }

        var target = new OrchestratorTarget(
            serveMetrics ? "in-process silo serving /metrics" : "in-process silo on a web host",
            app.Services.GetRequiredService<IOrchestrator>(),
            [Environment.ProcessId],
            [host, new NpgsqlPoolReset()],
            app.Services,
            app.Services.GetRequiredService<ITaskEventSource>());
        return (target, serveMetrics ? new Uri($"http://127.0.0.1:{port}/metrics") : null);
    }
}
