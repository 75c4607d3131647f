using Oee.Grains.Contracts;

namespace Oee.Grains.Events;

/// <summary>Events a silo sends one subscriber: the ring numbers of the first one, and how many it had to skip before it.</summary>
/// <param name="Silo">The sending silo (parsable address).</param>
/// <param name="First">The silo ring's number of <c>Events[0]</c>.</param>
/// <param name="Events">The events, oldest first.</param>
/// <param name="Skipped">Events the subscriber missed just before these (the ring overwrote them before they could be sent).</param>
[GenerateSerializer, Immutable, Alias("oee.event-silo-batch")]
internal sealed record SiloEventBatch([property: Id(0)] string Silo, [property: Id(1)] long First, [property: Id(2)] TaskEvent[] Events, [property: Id(3)] long Skipped);

/// <summary>A watching process's receiver of silos' events (an Orleans grain observer).</summary>
[Alias("oee.event-observer")]
internal interface ITaskEventObserver : IGrainObserver
{
    /// <summary>The next events of one silo, in the order it published them.</summary>
    [Alias("on-events")]
    Task OnEvents(SiloEventBatch batch);
}

/// <summary>
/// One silo's event hub (key: the silo's parsable address, placed on that silo): where a watching
/// process subscribes to the events that silo publishes.
/// </summary>
[Alias("oee.event-silo-hub")]
internal interface ISiloEventHubGrain : IGrainWithStringKey
{
    /// <summary>
    /// Subscribes (or renews a subscription, keeping its place): events after ring number
    /// <paramref name="after"/> (or from now when null) are sent to <paramref name="observer"/> until it
    /// stops renewing. Answers the number the subscription stands at.
    /// </summary>
    [Alias("subscribe")]
    Task<long> Subscribe(ITaskEventObserver observer, long? after);

    /// <summary>Ends a subscription.</summary>
    [Alias("unsubscribe")]
    Task Unsubscribe(ITaskEventObserver observer);
}
