using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Oee.Benchmarks.Cli;
using Oee.Benchmarks.Hosting;
using Oee.Grains.Client;
using Oee.Grains.Handlers;
using Oee.Grains.Hosting;
using OpenTelemetry.Metrics;

namespace Oee.Benchmarks.Targets;

/// <summary>A silo hosted in the benchmark process; submits go through that host's <see cref="IOrchestrator"/>.</summary>
internal static class InProcessTarget
{
    public static async Task<IBenchTarget> StartAsync(TargetSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Environment.Count > 0)
        {
            throw new BenchmarkFailedException($"Environment variables ({string.Join(", ", settings.Environment.Keys)}) apply to a target's own processes; an in-process silo runs in the benchmark's process: use --modes client, rest or rest-h2.");
        }

        var host = await StartHostAsync(settings, cancellationToken);
        var orchestrator = host.Host.Services.GetRequiredService<IOrchestrator>();
        return new OrchestratorTarget("in-process silo", orchestrator, [Environment.ProcessId], [host, new NpgsqlPoolReset()], host.Host.Services, host.Host.Services.GetRequiredService<ITaskEventSource>());
    }

    /// <summary>The started silo host itself (also the floor measurement's, so that both run on the same set-up).</summary>
    /// <param name="settings">What to start.</param>
    /// <param name="cancellationToken">Stops the start.</param>
    /// <param name="configureSilo">More silo set-up (the <c>calls</c> diagnostic's filter); none in timed scenarios.</param>
    public static async Task<StoppingHost> StartHostAsync(TargetSettings settings, CancellationToken cancellationToken, Action<ISiloBuilder>? configureSilo = null)
    {
        var layout = ClusterLayout.Create(1);
        var builder = QuietHost.CreateBuilder(layout.SiloSettings(0, settings.Engine));
        builder.UseOrleans(silo =>
        {
            silo.AddOee(builder.Configuration);
            configureSilo?.Invoke(silo);
        });

        // A timed echo, so that latency runs can measure when bodies really began (BodyStartClock).
        builder.Services.AddSingleton<BodyStartClock>();
        builder.Services.AddTaskHandler<TimedEchoHandler>(BodyStartClock.Handler);

        // As a silo serving /metrics (Oee:Telemetry, on by default): OEE's, Orleans' and .NET's meters, read every 15 s.
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

        return host;
    }
}
