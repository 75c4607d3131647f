using Oee.Grains.Cluster;

namespace Oee.Grains.Events;

/// <summary>The entry to this silo's <see cref="SiloEventPump"/>; the pump, not the grain, sends the events.</summary>
[SiloTargetedPlacement]
internal sealed class SiloEventHubGrain(SiloEventPump pump) : Grain, ISiloEventHubGrain
{
    Task<long> ISiloEventHubGrain.Subscribe(ITaskEventObserver observer, long? after) => Task.FromResult(pump.Subscribe(observer, after));

    Task ISiloEventHubGrain.Unsubscribe(ITaskEventObserver observer)
    {
        pump.Unsubscribe(observer);
        return Task.CompletedTask;
    }
}
