using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace Oee.Grains.Tasks;

/// <summary>Every silo makes sure the retention sweep runs once it is active (the sweep itself is one grain for the cluster).</summary>
internal sealed partial class RetentionStart(IGrainFactory grains, ILogger<RetentionStart> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(RetentionStart), ServiceLifecycleStage.Active, OnActive, _ => Task.CompletedTask);

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
            await grains.GetGrain<IRetentionGrain>(0).Start();
        }
        catch (Exception ex)
        {
            LogStartFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not start the retention sweep from this silo; another silo or its reminder will")]
    private static partial void LogStartFailed(ILogger logger, Exception exception);
}
