using Oee.Benchmarks.Hosting;

namespace Oee.Benchmarks.Targets;

/// <summary>Silo processes (<c>dotnet Oee.Silo.dll</c>) of one localhost cluster, started one after another.</summary>
internal sealed class SiloProcesses : IAsyncDisposable
{
    private readonly List<ChildProcess> silos = [];

    private SiloProcesses(ClusterLayout layout) => Layout = layout;

    public ClusterLayout Layout { get; }

    public IReadOnlyList<int> ProcessIds => [.. silos.Select(s => s.Id)];

    /// <summary>Starts <paramref name="count"/> silos, each ready (gateway open) before the next joins.</summary>
    public static async Task<SiloProcesses> StartAsync(
        RepoPaths paths,
        int count,
        IReadOnlyDictionary<string, string> engine,
        string logDir,
        CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? environment = null,
        IReadOnlyList<IReadOnlyDictionary<string, string>>? perSilo = null)
    {
        var dll = RepoPaths.RequireBuilt(paths.SiloDll);
        var cluster = new SiloProcesses(ClusterLayout.Create(count));
        try
        {
            for (var i = 0; i < count; i++)
            {
                // This silo's own settings over the engine's (the layout's cluster settings still over both).
                var own = new Dictionary<string, string>(engine);
                if (perSilo is not null && i < perSilo.Count)
                {
                    foreach (var (key, value) in perSilo[i])
                    {
                        own[key] = value;
                    }
                }

                var args = ClusterLayout.AsArgs(cluster.Layout.SiloSettings(i, own));
                var silo = ChildProcess.Start($"silo {i + 1}", dll, args, logDir, environment);
                cluster.silos.Add(silo);
                await Readiness.WaitForPortAsync(silo, cluster.Layout.GatewayPorts[i], cancellationToken);
            }

            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Throws with a log tail when a silo died.</summary>
    public void ThrowIfAnyExited()
    {
        foreach (var silo in silos)
        {
            silo.ThrowIfExited();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in silos.AsEnumerable().Reverse())
        {
            await silo.DisposeAsync();
        }

        silos.Clear();
    }
}
