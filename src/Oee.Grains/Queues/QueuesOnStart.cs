using Oee.Grains.Cluster;
using Oee.Grains.Contracts;

namespace Oee.Grains.Queues;

/// <summary>
/// Durable mode: every silo, once active, activates every known queue, so that after a full restart
/// each queue restores its entries at once (tasks that came due while the cluster was down start now,
/// later ones on time) instead of at its reminders' next tick, which can be up to a reminder period
/// (<c>Oee:QueueWakePeriod</c>) after a due time missed during the downtime. Activating an active
/// queue changes nothing.
/// </summary>
internal sealed class QueuesOnStart : IWakeOnStart
{
    public string What => "the queues";

    public async Task Wake(IGrainFactory grains)
    {
        var queues = await grains.GetGrain<IQueueDirectoryGrain>(0).List();
        await Task.WhenAll(queues.Select(name => grains.Reference<IQueueGrain>(name).GetStatus()));
    }
}
