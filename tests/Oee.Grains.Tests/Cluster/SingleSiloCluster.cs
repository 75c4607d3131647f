using Microsoft.Extensions.Configuration;
using Oee.Grains.Hosting;
using Orleans.TestingHost;

namespace Oee.Grains.Tests.Cluster;

/// <summary>A one-silo in-process cluster of a test's own, for settings the shared fixtures do not have.</summary>
internal static class SingleSiloCluster
{
    /// <summary>Starts a silo with OEE on these settings (clustering left to the test host), then <paramref name="configure"/>.</summary>
    public static async Task<InProcessTestCluster> StartAsync(Dictionary<string, string?> settings, Action<ISiloBuilder> configure)
    {
        settings["Oee:Cluster:Mode"] = "External";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddOee(configuration);
            configure(silo);
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }
}
