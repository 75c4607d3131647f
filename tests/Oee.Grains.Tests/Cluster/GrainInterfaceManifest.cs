using System.Reflection;
using Oee.Grains.Tests.PublicApi;
using Orleans.CodeGeneration;
using Orleans.Concurrency;

namespace Oee.Grains.Tests.Cluster;

/// <summary>
/// The grain interfaces of an assembly as silos of different versions see them on the wire: each interface's
/// alias and Orleans interface version, and each method's alias, parameter and return types and call kind.
/// Written as sorted lines (<see cref="Lines"/>) and read back from them (<see cref="Parse"/>).
/// </summary>
internal sealed record GrainInterfaceManifest(string Alias, string TypeName, int Version, IReadOnlySet<string> Methods)
{
    private const string InterfacePrefix = "interface ";
    private const string MethodSeparator = " :: ";

    public static IReadOnlyList<GrainInterfaceManifest> Of(Assembly assembly) =>
        [.. assembly.GetTypes()
            .Where(t => t.IsInterface && typeof(IAddressable).IsAssignableFrom(t) && t.Namespace?.StartsWith("OrleansCodeGen", StringComparison.Ordinal) != true)
            .Select(Of)
            .OrderBy(m => m.Alias, StringComparer.Ordinal)];

    public static GrainInterfaceManifest Of(Type type)
    {
        var methods = type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Select(Describe)
            .ToHashSet(StringComparer.Ordinal);
        return new(AliasOf(type), PublicSurface.Name(type), type.GetCustomAttribute<VersionAttribute>()?.Version ?? 0, methods);
    }

    public static IEnumerable<string> Lines(IEnumerable<GrainInterfaceManifest> interfaces) =>
        interfaces.SelectMany(i => i.Methods.Order(StringComparer.Ordinal).Select(m => i.Alias + MethodSeparator + m).Prepend($"{InterfacePrefix}{i.Alias} version {i.Version} ({i.TypeName})"));

    public static IReadOnlyDictionary<string, GrainInterfaceManifest> Parse(IEnumerable<string> lines)
    {
        var heads = new Dictionary<string, (string TypeName, int Version)>(StringComparer.Ordinal);
        var methods = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var line in lines.Where(l => l.Length > 0))
        {
            if (line.StartsWith(InterfacePrefix, StringComparison.Ordinal))
            {
                // interface <alias> version <n> (<type>)
                var parts = line[InterfacePrefix.Length..].Split(' ', 4);
                heads[parts[0]] = (parts[3].Trim('(', ')'), int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture));
                methods.TryAdd(parts[0], new HashSet<string>(StringComparer.Ordinal));
            }
            else
            {
                var at = line.IndexOf(MethodSeparator, StringComparison.Ordinal);
                methods[line[..at]].Add(line[(at + MethodSeparator.Length)..]);
            }
        }

        return heads.ToDictionary(h => h.Key, h => new GrainInterfaceManifest(h.Key, h.Value.TypeName, h.Value.Version, methods[h.Key]), StringComparer.Ordinal);
    }

    // What a call carries and expects: the method's id (its alias), the types it sends and gets back, and whether an
    // answer comes at all. Parameter names are not sent.
    private static string Describe(MethodInfo method)
    {
        var kind = method.GetCustomAttribute<OneWayAttribute>() is not null ? "one-way " : "";
        var parameters = string.Join(", ", method.GetParameters().Select(p => PublicSurface.Name(p.ParameterType)));
        return $"{AliasOf(method)}: {kind}{PublicSurface.Name(method.ReturnType)} {method.Name}({parameters})";
    }

    private static string AliasOf(MemberInfo member) => member.GetCustomAttribute<AliasAttribute>()?.Alias ?? member.Name;
}
