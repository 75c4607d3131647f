using System.Reflection;
using System.Text.Json.Serialization;

namespace Oee.Api.Models;

/// <summary>An enum's wire names: its <see cref="JsonStringEnumMemberNameAttribute"/>s, read case-insensitively.</summary>
/// <typeparam name="TEnum">The enum.</typeparam>
public static class WireNames<TEnum>
    where TEnum : struct, Enum
{
    private static readonly (string Name, TEnum Value)[] Names = [.. typeof(TEnum)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? f.Name, (TEnum)f.GetValue(null)!))];

    /// <summary>Every wire name, in declaration order.</summary>
    public static IEnumerable<string> All => Names.Select(n => n.Name);

    /// <summary>The value with this wire name (any case); false when it names none.</summary>
    public static bool TryParse(string? text, out TEnum value)
    {
        foreach (var (name, candidate) in Names)
        {
            if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }
}
