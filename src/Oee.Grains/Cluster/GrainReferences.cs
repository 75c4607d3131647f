using Orleans.Runtime;

namespace Oee.Grains.Cluster;

/// <summary>
/// Grain references without Orleans' per-call type lookup. <c>IGrainFactory.GetGrain&lt;T&gt;(key)</c>
/// resolves the interface's grain type on every call, reading the interface's attributes by
/// reflection (a profile of the REST drain found 4–11 % of the API process there; the engine makes
/// several such calls per task). Here the grain type and interface type are taken from the first
/// reference Orleans builds for each interface and reused: the same ids, so the same
/// activations, as <c>GetGrain</c> gives.
/// </summary>
internal static class GrainReferences
{
    /// <summary>The grain of <typeparamref name="T"/> with this string key (as <c>GetGrain&lt;T&gt;(key)</c>).</summary>
    public static T Reference<T>(this IGrainFactory grains, string key)
        where T : IGrainWithStringKey
    {
        if (TypesOf<T>.Known is { } types)
        {
            return (T)grains.GetGrain(GrainId.Create(types.Grain, key), types.Interface);
        }

        return TypesOf<T>.Learn(grains.GetGrain<T>(key));
    }

    /// <summary>The grain of <typeparamref name="T"/> with this integer key (as <c>GetGrain&lt;T&gt;(key)</c>).</summary>
    public static T Reference<T>(this IGrainFactory grains, long key)
        where T : IGrainWithIntegerKey
    {
        if (TypesOf<T>.Known is { } types)
        {
            return (T)grains.GetGrain(GrainId.Create(types.Grain, GrainIdKeyExtensions.CreateIntegerKey(key)), types.Interface);
        }

        return TypesOf<T>.Learn(grains.GetGrain<T>(key));
    }

    /// <summary>What Orleans resolved for <typeparamref name="T"/>: the same in every host of a process (they load the same grain classes).</summary>
    private static class TypesOf<T>
        where T : IAddressable
    {
        public static GrainTypes? Known { get; private set; }

        public static T Learn(T reference)
        {
            var grainReference = (GrainReference)(object)reference;
            Known = new GrainTypes(grainReference.GrainId.Type, grainReference.InterfaceType);
            return reference;
        }
    }

    private sealed record GrainTypes(GrainType Grain, GrainInterfaceType Interface);
}
