using Microsoft.Extensions.Logging;
using Oee.Grains.Contracts;
using Orleans.Runtime;

namespace Oee.Grains.Queues;

/// <summary>
/// Durable mode: every silo, once active, activates every known queue, so that after a full restart
/// each queue restores its entries at once (tasks that came due while the cluster was down start now,
/// later ones on time) instead of at its reminders' next tick, which can be up to a reminder period
/// (<c>Oee:QueueWakePeriod</c>) after a due time missed during the downtime. Activating an active
/// queue changes nothing.
/// </summary>
internal sealed partial class QueueWakeOnStart(IGrainFactory grains, ILogger<QueueWakeOnStart> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(QueueWakeOnStart), ServiceLifecycleStage.Active, OnActive, _ => Task.CompletedTask);

    private Task OnActive(CancellationToken cancellationToken)
    {
        // Not awaited: a silo's start must not wait for (or fail with) the queues.
        _ = WakeQueues();
        return Task.CompletedTask;
    }

    private async Task WakeQueues()
    {
        try
        {
            var queues = await grains.GetGrain<IQueueDirectoryGrain>(0).List();
            await Task.WhenAll(queues.Select(name => grains.GetGrain<IQueueGrain>(name).GetStatus()));
        }
        catch (Exception ex)
        {
            LogWakeFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not activate the queues from this silo at start; their reminders wake them")]
    private static partial void LogWakeFailed(ILogger logger, Exception exception);
}
