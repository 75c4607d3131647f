using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using Oee.Grains.Contracts;
using Oee.Grains.Tests.PublicApi;

namespace Oee.Grains.Tests.Cluster;

/// <summary>
/// Orleans sends an enum as its number, and grain state keeps it so: the members of every serialized enum of the
/// engine ([GenerateSerializer], internal ones too: a task's answer to its queue, the transitions of its state
/// machine) are what silos of different versions and stored records agree on. Grain interface versions
/// (<see cref="GrainInterfaceVersionTests"/>) do not cover them: a value added in a new version reaches silos of the
/// earlier one during a rolling upgrade, whose code must then meet a number it has no name for.
/// SerializedEnums.approved.txt beside this file holds them as approved; after a deliberate change run the tests once
/// with OEE_ACCEPT_GRAIN_INTERFACES=1 to rewrite it, and review its diff. A member given another number is refused
/// even then: stored records and earlier silos would read it as something else.
/// </summary>
public sealed class SerializedEnumTests
{
    private static IReadOnlyList<string> Current =>
        [.. typeof(ITaskGrain).Assembly.GetTypes()
            .Where(t => t.IsEnum && t.GetCustomAttribute<GenerateSerializerAttribute>() is not null)
            .SelectMany(Lines)
            .Order(StringComparer.Ordinal)];

    [Fact]
    public void Serialized_enums_keep_every_member_s_number_and_gain_or_lose_members_only_when_approved()
    {
        var path = ApprovedFile();
        var approved = File.Exists(path) ? File.ReadAllLines(path).Where(l => l.Length > 0).ToList() : [];
        var before = Members(approved);
        var now = Members(Current);

        var refused = new List<string>();
        var toReview = new List<string>();
        foreach (var ((type, name), number) in now)
        {
            if (before.TryGetValue((type, name), out var was))
            {
                if (was != number)
                {
                    refused.Add($"{type}.{name} was {was} and is now {number}");
                }

                continue;
            }

            var holder = before.FirstOrDefault(b => b.Key.Type == type && b.Value == number);
            toReview.Add(holder.Key.Name is { } other && !now.ContainsKey((type, other))
                ? $"{type}.{name} = {number} was {type}.{other}: harmless on the wire if only the name changed, not if the meaning did"
                : $"{type}.{name} = {number} is new: silos of the earlier version receive it during a rolling upgrade");
        }

        Assert.True(
            refused.Count == 0,
            "Refused (OEE_ACCEPT_GRAIN_INTERFACES does not override these; records and earlier silos read numbers, not names):\n  "
            + string.Join("\n  ", refused));

        toReview.AddRange(before.Keys.Except(now.Keys)
            .Where(k => !now.Any(n => n.Key.Type == k.Type && n.Value == before[k]))
            .Select(k => $"{k.Type}.{k.Name} = {before[k]} is gone: records stored with it and earlier silos still carry it"));
        if (Environment.GetEnvironmentVariable("OEE_ACCEPT_GRAIN_INTERFACES") == "1")
        {
            File.WriteAllLines(path, Current);
            return;
        }

        Assert.True(
            toReview.Count == 0,
            "The serialized enums changed:\n  " + string.Join("\n  ", toReview)
            + "\nIf the change is deliberate (and the code receiving them meets an unknown number), run the tests with "
            + "OEE_ACCEPT_GRAIN_INTERFACES=1 and commit the rewritten SerializedEnums.approved.txt.");
    }

    [Fact]
    public void The_engine_s_own_answers_and_states_are_among_them()
    {
        Assert.Contains("Oee.Grains.Tasks.StartResult :: NotFound = 2", Current);
        Assert.Contains(Current, l => l.StartsWith("Oee.Grains.Contracts.OeeTaskStatus :: ", StringComparison.Ordinal));
    }

    // "<type> :: <member> = <number>", one per member.
    private static IEnumerable<string> Lines(Type type)
    {
        var name = PublicSurface.Name(type);
        return type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => $"{name} :: {f.Name} = {Convert.ToInt64(f.GetRawConstantValue(), CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture)}");
    }

    private static Dictionary<(string Type, string Name), long> Members(IEnumerable<string> lines) =>
        lines.Select(l =>
        {
            var at = l.IndexOf(" :: ", StringComparison.Ordinal);
            var eq = l.LastIndexOf(" = ", StringComparison.Ordinal);
            return (Type: l[..at], Name: l[(at + 4)..eq], Number: long.Parse(l[(eq + 3)..], CultureInfo.InvariantCulture));
        }).ToDictionary(m => (m.Type, m.Name), m => m.Number);

    private static string ApprovedFile([CallerFilePath] string source = "") =>
        Path.Combine(Path.GetDirectoryName(source)!, "SerializedEnums.approved.txt");
}
