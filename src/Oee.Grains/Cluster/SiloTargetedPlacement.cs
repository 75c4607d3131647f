using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace Oee.Grains.Cluster;

/// <summary>Places a grain on the silo whose address (parsable form) is the grain's string key.</summary>
[Serializable, GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("oee.silo-targeted-placement")]
internal sealed class SiloTargetedPlacement : PlacementStrategy
{
    public static SiloTargetedPlacement Instance { get; } = new();
}

/// <summary>Marks a grain class for <see cref="SiloTargetedPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
internal sealed class SiloTargetedPlacementAttribute() : PlacementAttribute(SiloTargetedPlacement.Instance);

/// <summary>Chooses the silo named by the grain key; refuses when that silo is not active.</summary>
internal sealed class SiloTargetedPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var key = target.GrainIdentity.Key.ToString();
        foreach (var silo in context.GetCompatibleSilos(target))
        {
            if (string.Equals(silo.ToParsableString(), key, StringComparison.Ordinal))
            {
                return Task.FromResult(silo);
            }
        }

        throw new InvalidOperationException($"Silo '{key}' is not an active silo of this cluster.");
    }
}
