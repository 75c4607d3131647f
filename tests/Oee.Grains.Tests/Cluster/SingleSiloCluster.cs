using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Oee.Grains.Hosting;
using Oee.Grains.Time;
using Orleans.TestingHost;

namespace Oee.Grains.Tests.Cluster;

/// <summary>A one-silo in-process cluster of a test's own, for settings the shared fixtures do not have.</summary>
internal static class SingleSiloCluster
{
    /// <summary>
    /// Starts a silo with OEE on these settings (clustering left to the test host), its engine on <paramref name="engineClock"/>
    /// when given, then <paramref name="configure"/>.
    /// </summary>
    public static async Task<InProcessTestCluster> StartAsync(Dictionary<string, string?> settings, Action<ISiloBuilder> configure, TimeProvider? engineClock = null)
    {
        settings["Oee:Cluster:Mode"] = "External";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            if (engineClock is not null)
            {
                silo.Services.AddKeyedSingleton(OeeClock.ServiceKey, engineClock);
            }

            silo.AddOee(configuration);
            configure(silo);
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }
}
