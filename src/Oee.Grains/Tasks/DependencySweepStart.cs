using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace Oee.Grains.Tasks;

/// <summary>Every silo makes sure the dependency sweep runs once it is active (the sweep itself is one grain for the cluster).</summary>
internal sealed partial class DependencySweepStart(IGrainFactory grains, ILogger<DependencySweepStart> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(DependencySweepStart), ServiceLifecycleStage.Active, OnActive, _ => Task.CompletedTask);

    private Task OnActive(CancellationToken cancellationToken)
    {
        // Not awaited: a silo's start must not wait for (or fail with) the sweep's grain.
        _ = StartSweep();
        return Task.CompletedTask;
    }

    private async Task StartSweep()
    {
        try
        {
            await grains.GetGrain<IDependencySweepGrain>(0).Start();
        }
        catch (Exception ex)
        {
            LogStartFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not start the dependency sweep from this silo; another silo or its reminder will")]
    private static partial void LogStartFailed(ILogger logger, Exception exception);
}
