using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Oee.Benchmarks.Hosting;
using Oee.Grains.Client;
using Oee.Grains.Hosting;

namespace Oee.Benchmarks.Targets;

/// <summary>Silo processes, and an external Orleans client (<c>AddOeeClient</c>) in the benchmark process.</summary>
internal static class ClientTarget
{
    private static readonly TimeSpan MembershipTimeout = TimeSpan.FromSeconds(60);

    public static async Task<IBenchTarget> StartAsync(RepoPaths paths, TargetSettings settings, string logDir, CancellationToken cancellationToken)
    {
        var silos = await SiloProcesses.StartAsync(paths, settings.Silos, settings.Engine, logDir, cancellationToken, settings.Environment, settings.PerSilo);
        StoppingHost? client = null;
        try
        {
            var builder = QuietHost.CreateBuilder(silos.Layout.ClientSettings(settings.Engine));
            builder.UseOrleansClient(c => c.AddOeeClient(builder.Configuration));
            client = new StoppingHost(builder.Build());
            await client.Host.StartAsync(cancellationToken);
            var orchestrator = client.Host.Services.GetRequiredService<IOrchestrator>();
            await WaitForSilosAsync(orchestrator, silos, settings.Silos, cancellationToken);
            var description = settings.Silos == 1 ? "silo process + Orleans client" : $"{settings.Silos} silo processes + Orleans client";
            return new OrchestratorTarget(description, orchestrator, silos.ProcessIds, [client, silos, new NpgsqlPoolReset()], events: client.Host.Services.GetRequiredService<ITaskEventSource>());
        }
        catch
        {
            if (client is not null)
            {
                await client.DisposeAsync();
            }

            await silos.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits until the cluster lists every silo as active, so that placement spreads over all of them.</summary>
    private static async Task WaitForSilosAsync(IOrchestrator orchestrator, SiloProcesses silos, int expected, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(MembershipTimeout);
        while (true)
        {
            silos.ThrowIfAnyExited();
            var status = await orchestrator.GetSystemStatusAsync(limit.Token);
            if (status.Silos.Count(s => s.Status == "active") >= expected)
            {
                return;
            }

            await Task.Delay(200, limit.Token);
        }
    }
}
