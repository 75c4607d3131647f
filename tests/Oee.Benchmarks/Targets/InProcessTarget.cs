using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Oee.Benchmarks.Hosting;
using Oee.Grains.Client;
using Oee.Grains.Hosting;
using OpenTelemetry.Metrics;

namespace Oee.Benchmarks.Targets;

/// <summary>A silo hosted in the benchmark process; submits go through that host's <see cref="IOrchestrator"/>.</summary>
internal static class InProcessTarget
{
    public static async Task<IBenchTarget> StartAsync(TargetSettings settings, CancellationToken cancellationToken)
    {
        var layout = ClusterLayout.Create(1);
        var builder = QuietHost.CreateBuilder(layout.SiloSettings(0, settings.Engine));
        builder.UseOrleans(silo => silo.AddOee(builder.Configuration));

        // As a silo serving /metrics (Oee:Telemetry, on by default): OEE's and Orleans' meters, read every 15 s.
        builder.Services.AddOeeTelemetry(
            builder.Configuration,
            "oee-bench",
            metrics: m => m.AddReader(new PeriodicExportingMetricReader(new DiscardingMetricExporter(), DiscardingMetricExporter.IntervalMilliseconds)));
        var host = new StoppingHost(builder.Build());
        try
        {
            await host.Host.StartAsync(cancellationToken);
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }

        var orchestrator = host.Host.Services.GetRequiredService<IOrchestrator>();
        return new OrchestratorTarget("in-process silo", orchestrator, [Environment.ProcessId], [host, new NpgsqlPoolReset()], host.Host.Services);
    }
}
