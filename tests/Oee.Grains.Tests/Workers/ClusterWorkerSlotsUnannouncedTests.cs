using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Oee.Grains.Configuration;
using Oee.Grains.Hosting;
using Oee.Grains.Tests.Cluster;
using Oee.Grains.Workers;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.TestingHost;

namespace Oee.Grains.Tests.Workers;

/// <summary>
/// A silo that announces no worker slots, as one of a build before session 23 (whose metadata, when Orleans can fetch
/// any, has no count): the other silos count it with their own count, as every silo was counted before, while it counts
/// them as they announce.
/// </summary>
public sealed class ClusterWorkerSlotsUnannouncedTests : IAsyncLifetime
{
    private const string Unannounced = "Silo_1";
    private InProcessTestCluster cluster = null!;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((options, silo) =>
        {
            var earlier = options.SiloName == Unannounced;
            silo.AddOee(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Oee:Cluster:Mode"] = "External",
                ["Oee:WarmUp:Enabled"] = "false",
                ["Oee:WorkerSlotsPerSilo"] = earlier ? "3" : "1",
            }).Build());
            if (earlier)
            {
                // What Orleans' metadata service hands the other silos: nothing (the options OEE configures are still built and checked).
                silo.Services.AddSingleton<IOptions<SiloMetadata>>(Options.Create(SiloMetadata.Empty));
            }
        });
        cluster = builder.Build();
        await cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    [Fact]
    public async Task A_silo_announcing_no_slots_counts_as_the_counting_silo_s_own()
    {
        var announcing = (InProcessSiloHandle)cluster.Silos.Single(s => s.Name != Unannounced);
        var unannounced = (InProcessSiloHandle)cluster.Silos.Single(s => s.Name == Unannounced);

        // Once each has fetched the other's metadata: the announcing silo has nothing of the other's, which has its count.
        var cache = announcing.ServiceProvider.GetRequiredService<ISiloMetadataCache>();
        await Waiting.Until(() => unannounced.ServiceProvider.GetRequiredService<ClusterWorkerSlots>().Total == 3 + 1, "the unannounced silo to count the other's announced slot");
        Assert.Empty(cache.GetSiloMetadata(unannounced.SiloAddress).Metadata);

        // Counted again every second while unknown, and still its own count: 1 + 1, not 1 + 3.
        var slots = announcing.ServiceProvider.GetRequiredService<ClusterWorkerSlots>();
        await Waiting.Until(() => slots.Total == 1 + 1, "the announcing silo to count both silos");
        await Task.Delay(ClusterWorkerSlots.UnknownRecount * 2);
        Assert.Equal(1 + 1, slots.Total);
    }
}
