using System.Diagnostics.CodeAnalysis;
using Oee.Grains.Tasks;
using Oee.Grains.Workers;
using Orleans.Metadata;
using Orleans.Runtime.Placement;

namespace Oee.Grains.Cluster.Placement;

/// <summary>
/// Places a task grain (and so its body, which runs on its silo) on a silo at random, each silo as likely as its share of
/// the cluster's worker slots (<see cref="ClusterWorkerSlots.Pick"/>): silos of equal counts equally, as Orleans' random
/// placement does, and a silo of 3 slots three times as often as one of 1. A placement hint in the request context wins,
/// as with Orleans' own directors.
/// </summary>
[Serializable, GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("oee.slot-weighted-placement")]
internal sealed class SlotWeightedPlacement : PlacementStrategy
{
    public static SlotWeightedPlacement Instance { get; } = new();
}

/// <summary>Chooses a compatible silo by <see cref="ClusterWorkerSlots.Pick"/>.</summary>
internal sealed class SlotWeightedPlacementDirector(ClusterWorkerSlots slots) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silos = context.GetCompatibleSilos(target);
        return Task.FromResult(IPlacementDirector.GetPlacementHint(target.RequestContextData, silos) ?? slots.Pick(silos));
    }
}

/// <summary>
/// Gives <see cref="TaskGrain"/> <see cref="SlotWeightedPlacement"/> on this silo. The grain class keeps
/// <c>[RandomPlacement]</c>, which is what the cluster's grain manifest says: a silo of an earlier build, which may
/// read this silo's manifest for the task grain's placement, knows no other strategy, and places task grains at random.
/// </summary>
internal sealed class TaskPlacementResolver(GrainTypeResolver types) : IPlacementStrategyResolver
{
    private readonly GrainType taskGrain = types.GetGrainType(typeof(TaskGrain));

    public bool TryResolvePlacementStrategy(GrainType grainType, GrainProperties? properties, [MaybeNullWhen(false)] out PlacementStrategy result)
    {
        result = grainType.Equals(taskGrain) ? SlotWeightedPlacement.Instance : null;
        return result is not null;
    }
}
