using System.Globalization;
using Microsoft.Extensions.Options;
using Oee.Grains.Configuration;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace Oee.Grains.Workers;

/// <summary>
/// The worker slots of the cluster's active silos together, each silo counted with its own
/// <c>Oee:WorkerSlotsPerSilo</c>: every silo announces its count in Orleans' silo metadata
/// (<see cref="MetadataKey"/>), which each silo fetches from a new member once it joins. A silo whose count is not
/// known (its metadata not fetched yet, or a silo of a build that announces none) is taken to have this silo's
/// count, as every silo was before session 23. Recounted when the membership changes, and while a count is unknown at
/// most every <see cref="UnknownRecount"/> (Orleans fetches a silo's metadata once it joins, and after a failed fetch
/// again minutes later; a silo of an earlier build stays unknown until it is gone). Task grains are placed by the same
/// counts (<see cref="Pick"/>, <see cref="Cluster.Placement.SlotWeightedPlacement"/>).
/// </summary>
internal sealed class ClusterWorkerSlots(
    IClusterMembershipService membership,
    ISiloMetadataCache metadata,
    ILocalSiloDetails localSilo,
    IOptions<OeeOptions> options)
{
    /// <summary>The silo metadata key under which a silo announces its worker slots.</summary>
    public const string MetadataKey = "oee.worker-slots";

    /// <summary>How often a count with a silo's slots unknown is made again (every dispatch of every queue reads it).</summary>
    public static readonly TimeSpan UnknownRecount = TimeSpan.FromSeconds(1);

    private readonly int own = options.Value.WorkerSlotsPerSilo;
    private Count? last;

    /// <summary>The slots of the active silos together (this silo's count alone while none is active).</summary>
    public int Total => Current.Total;

    private Count Current
    {
        get
        {
            var snapshot = membership.CurrentSnapshot;
            var counted = Volatile.Read(ref last);
            if (counted is null || counted.Version != snapshot.Version || (counted.RecountAt is { } at && Environment.TickCount64 >= at))
            {
                counted = Recount(snapshot);
                Volatile.Write(ref last, counted);
            }

            return counted;
        }
    }

    /// <summary>
    /// One of <paramref name="silos"/> at random, each as likely as its share of their slots (a silo not counted: this
    /// silo's count); where they all have the same count, each equally likely, as Orleans' random placement.
    /// </summary>
    public SiloAddress Pick(SiloAddress[] silos)
    {
        var counted = Current;
        if (counted.Uniform || silos.Length == 1)
        {
            return silos[Random.Shared.Next(silos.Length)];
        }

        var total = 0L;
        foreach (var silo in silos)
        {
            total += counted.BySilo.GetValueOrDefault(silo, own);
        }

        return Weighted(silos, counted.BySilo, own, Random.Shared.NextInt64(total));
    }

    /// <summary>
    /// The silo at <paramref name="point"/> (0 to the sum of the counts, exclusive) when each of <paramref name="silos"/> in
    /// turn covers as many points as its count (<paramref name="fallback"/> for a silo not counted).
    /// </summary>
    internal static SiloAddress Weighted(SiloAddress[] silos, IReadOnlyDictionary<SiloAddress, int> counts, int fallback, long point)
    {
        foreach (var silo in silos)
        {
            point -= counts.GetValueOrDefault(silo, fallback);
            if (point < 0)
            {
                return silo;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(point), "The point lies beyond the silos' counts together.");
    }

    /// <summary>The count a silo's metadata announces, or null when it announces none that is a positive number.</summary>
    public static int? Announced(IReadOnlyDictionary<string, string> silo) =>
        silo.TryGetValue(MetadataKey, out var text)
        && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var slots)
        && slots > 0
            ? Math.Min(slots, OeeOptions.MaxWorkerSlotsPerSilo)
            : null;

    private Count Recount(ClusterMembershipSnapshot snapshot)
    {
        var bySilo = new Dictionary<SiloAddress, int>();
        var known = true;
        foreach (var member in snapshot.Members.Values)
        {
            if (member.Status != SiloStatus.Active)
            {
                continue;
            }

            int slots;
            if (member.SiloAddress.Equals(localSilo.SiloAddress))
            {
                slots = own;
            }
            else if (Announced(metadata.GetSiloMetadata(member.SiloAddress).Metadata) is { } announced)
            {
                slots = announced;
            }
            else
            {
                slots = own;
                known = false;
            }

            bySilo[member.SiloAddress] = slots;
        }

        long? recountAt = known ? null : Environment.TickCount64 + (long)UnknownRecount.TotalMilliseconds;
        // Capped so that a queue's bound (× 3 / 2) and twice it stay ints (a million slots per silo at most: 715 such silos).
        var total = bySilo.Count == 0 ? own : (int)Math.Min(bySilo.Values.Sum(slots => (long)slots), int.MaxValue / 3);
        var uniform = bySilo.Values.All(slots => slots == own);
        return new Count(snapshot.Version, total, bySilo, uniform, recountAt);
    }

    // BySilo: the active silos' counts; Uniform: all of them this silo's. RecountAt: while a silo's count is unknown, when to
    // count again (Environment.TickCount64, the system's clock: a wait for Orleans' fetch, not an engine time rule).
    private sealed record Count(MembershipVersion Version, int Total, Dictionary<SiloAddress, int> BySilo, bool Uniform, long? RecountAt);
}
