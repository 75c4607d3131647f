using System.Globalization;
using Oee.Benchmarks.Hosting;
using Oee.Tests.Shared;

namespace Oee.Benchmarks.Targets;

/// <summary>
/// Free ports and fresh ids for one benchmark cluster on 127.0.0.1. The clustering mode is left
/// to the engine: localhost clustering (the first silo is the primary the others join) in memory
/// mode, PostgreSQL when <c>Oee:PostgreSql:ConnectionString</c> is among the engine settings.
/// Fresh ids keep it apart from any other cluster, and from rows an earlier run left in a database.
/// </summary>
internal sealed class ClusterLayout
{
    private static int created;

    private ClusterLayout(int silos)
    {
        var n = Interlocked.Increment(ref created);
        ClusterId = string.Create(CultureInfo.InvariantCulture, $"bench-{Environment.ProcessId}-{n}");
        ServiceId = string.Create(CultureInfo.InvariantCulture, $"oee-bench-{DateTime.UtcNow:yyMMddHHmmss}-{Environment.ProcessId}-{n}");
        SiloPorts = [.. Enumerable.Range(0, silos).Select(_ => LoopbackPorts.Next())];
        GatewayPorts = [.. Enumerable.Range(0, silos).Select(_ => LoopbackPorts.Next())];
    }

    public string ClusterId { get; }

    public string ServiceId { get; }

    public int[] SiloPorts { get; }

    public int[] GatewayPorts { get; }

    public static ClusterLayout Create(int silos) => new(silos);

    /// <summary>The settings of silo <paramref name="index"/> (0 is the primary), plus the engine settings.</summary>
    public Dictionary<string, string> SiloSettings(int index, IReadOnlyDictionary<string, string> engine)
    {
        var settings = new Dictionary<string, string>(engine)
        {
            ["Oee:Cluster:ClusterId"] = ClusterId,
            ["Oee:Cluster:ServiceId"] = ServiceId,
            ["Oee:Cluster:SiloPort"] = Text(SiloPorts[index]),
            ["Oee:Cluster:GatewayPort"] = Text(GatewayPorts[index]),
            ["Oee:Cluster:PrimarySiloPort"] = Text(SiloPorts[0]),
        };
        return settings;
    }

    /// <summary>The settings of an external client of every gateway.</summary>
    public Dictionary<string, string> ClientSettings(IReadOnlyDictionary<string, string> engine)
    {
        var settings = new Dictionary<string, string>(engine)
        {
            ["Oee:Cluster:ClusterId"] = ClusterId,
            ["Oee:Cluster:ServiceId"] = ServiceId,
        };
        for (var i = 0; i < GatewayPorts.Length; i++)
        {
            settings[$"Oee:Cluster:GatewayPorts:{i}"] = Text(GatewayPorts[i]);
        }

        return settings;
    }

    /// <summary>Settings as command-line arguments: <c>--Key value</c>.</summary>
    public static IEnumerable<string> AsArgs(IReadOnlyDictionary<string, string> settings) =>
        settings.SelectMany(kv => new[] { "--" + kv.Key, kv.Value });

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);
}
