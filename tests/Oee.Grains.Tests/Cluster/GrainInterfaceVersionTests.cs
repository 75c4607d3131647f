using System.Runtime.CompilerServices;
using Oee.Grains.Contracts;

namespace Oee.Grains.Tests.Cluster;

/// <summary>
/// During a rolling upgrade silos of two versions serve one cluster. Orleans routes a call by its grain interface's
/// version: a call from a silo whose interface has a higher [Version] never runs on an activation of a lower one
/// (that activation is deactivated and the grain placed again on a silo of a compatible version), whereas a call
/// to a method an earlier silo lacks would otherwise fail there. So an interface that gains a method must raise its
/// version, and no method may be removed or change its types while earlier silos may still send it.
/// GrainInterfaces.approved.txt beside this file holds the interfaces as they were approved; after a deliberate
/// change run the tests once with OEE_ACCEPT_GRAIN_INTERFACES=1 to rewrite it, and review its diff. A method added
/// without a higher version is refused even then.
/// </summary>
public sealed class GrainInterfaceVersionTests
{
    /// <summary>
    /// Interfaces left at version 0 on purpose, and why: their grains must run where they are, and a versioned
    /// call could not reach them on a silo of an earlier version. A method added to one must come with a fallback
    /// for silos that lack it.
    /// </summary>
    private static readonly Dictionary<string, string> Unversioned = new(StringComparer.Ordinal)
    {
        ["oee.silo-worker"] = "silo-targeted: an upgraded silo's versioned call could not be placed on the earlier silo it names, and would take that silo's running attempts for lost",
        ["oee.event-silo-hub"] = "silo-targeted: the event feed of one silo, which only that silo can serve",
        ["oee.event-observer"] = "an observer: the subscriber's own object, which Orleans neither versions nor moves",
    };

    private static IReadOnlyList<GrainInterfaceManifest> Current => GrainInterfaceManifest.Of(typeof(ITaskGrain).Assembly);

    [Fact]
    public void Every_grain_interface_has_a_version_except_those_whose_grains_must_stay_where_they_are()
    {
        var wrong = Current
            .Where(i => Unversioned.ContainsKey(i.Alias) ? i.Version != 0 : i.Version < 1)
            .Select(i => Unversioned.TryGetValue(i.Alias, out var why)
                ? $"{i.TypeName} has [Version({i.Version})] but must stay unversioned ({why})"
                : $"{i.TypeName} has no [Version(n)] (n >= 1)")
            .ToList();
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        Assert.All(Unversioned.Keys, alias => Assert.Contains(Current, i => i.Alias == alias));
    }

    [Fact]
    public void A_grain_interface_gains_methods_only_with_a_higher_version_and_keeps_those_it_had()
    {
        var path = ApprovedFile();
        var approved = GrainInterfaceManifest.Parse(File.Exists(path) ? File.ReadAllLines(path) : []);
        var accept = Environment.GetEnvironmentVariable("OEE_ACCEPT_GRAIN_INTERFACES") == "1";

        var refused = new List<string>();
        var toReview = new List<string>();
        foreach (var now in Current)
        {
            if (!approved.TryGetValue(now.Alias, out var before))
            {
                toReview.Add($"{now.Alias} ({now.TypeName}) is new");
                continue;
            }

            var added = now.Methods.Except(before.Methods).Order(StringComparer.Ordinal).ToList();
            var removed = before.Methods.Except(now.Methods).Order(StringComparer.Ordinal).ToList();
            if (now.Version < before.Version)
            {
                refused.Add($"{now.TypeName}: version {now.Version} is below the approved {before.Version}; versions only go up");
            }

            if (added.Count > 0 && now.Version == before.Version && !Unversioned.ContainsKey(now.Alias))
            {
                refused.Add(
                    $"{now.TypeName} gained {string.Join("; ", added)} but kept version {now.Version}: raise its [Version] to {before.Version + 1}, "
                    + "or an upgraded silo's call of it may reach an activation on a silo of the earlier version, which lacks it");
            }
            else if (added.Count > 0 && Unversioned.ContainsKey(now.Alias))
            {
                toReview.Add($"{now.TypeName} (unversioned: {Unversioned[now.Alias]}) gained {string.Join("; ", added)}: its callers need a fallback for silos of an earlier version, which lack it");
            }
            else if (added.Count > 0 || now.Version != before.Version)
            {
                toReview.Add($"{now.TypeName}, version {before.Version} -> {now.Version}: added {string.Join("; ", added)}");
            }

            if (removed.Count > 0)
            {
                toReview.Add(
                    $"{now.TypeName} lost or changed {string.Join("; ", removed)}: silos of an earlier version still send these during a rolling upgrade "
                    + "(keep a method beside its replacement until no silo of those versions runs)");
            }
        }

        toReview.AddRange(approved.Keys.Except(Current.Select(i => i.Alias)).Select(alias => $"{alias} was removed: silos of an earlier version may still call it"));
        Assert.True(refused.Count == 0, "Refused (OEE_ACCEPT_GRAIN_INTERFACES does not override these):\n  " + string.Join("\n  ", refused));
        if (accept)
        {
            File.WriteAllLines(path, GrainInterfaceManifest.Lines(Current));
            return;
        }

        Assert.True(
            toReview.Count == 0,
            "The grain interfaces changed:\n  " + string.Join("\n  ", toReview)
            + "\nIf the change is deliberate, run the tests with OEE_ACCEPT_GRAIN_INTERFACES=1 and commit the rewritten GrainInterfaces.approved.txt.");
    }

    [Fact]
    public void The_approved_file_reads_back_as_written()
    {
        var lines = GrainInterfaceManifest.Lines(Current).ToList();
        var again = GrainInterfaceManifest.Lines(GrainInterfaceManifest.Parse(lines).Values.OrderBy(i => i.Alias, StringComparer.Ordinal)).ToList();
        Assert.Equal(lines, again);
    }

    private static string ApprovedFile([CallerFilePath] string source = "") =>
        Path.Combine(Path.GetDirectoryName(source)!, "GrainInterfaces.approved.txt");
}
