using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Oee.Grains.Configuration;
using Oee.Grains.Cluster.Placement;
using Oee.Grains.Hosting;
using Orleans.Configuration;
using Orleans.Runtime;
using Polly.Registry;

namespace Oee.Grains.Tests.Cluster;

/// <summary>The Orleans and host settings OEE's silo set-up makes, as a running silo has them.</summary>
[Collection(MemoryClusterCollection.Name)]
public sealed class SiloRuntimeSettingsTests(MemoryClusterFixture fixture)
{
    private IServiceProvider Silo => fixture.Cluster.Silos[0].ServiceProvider;

    [Fact]
    public void Orleans_directory_cache_holds_at_most_ten_thousand_addresses()
    {
        // Every task is a new grain whose address placement caches; Orleans' default keeps a million.
        Assert.Equal(OeeSiloBuilderExtensions.DirectoryCacheSize, Silo.GetRequiredService<IOptions<GrainDirectoryOptions>>().Value.CacheSize);
        Assert.Equal(10_000, OeeSiloBuilderExtensions.DirectoryCacheSize);
    }

    [Fact]
    public void Orleans_places_grains_through_OEEs_placement_pipeline()
    {
        var provider = Assert.IsType<PlacementPipelineProvider>(Silo.GetRequiredService<ResiliencePipelineProvider<string>>());
        var ours = provider.GetPipeline<SiloAddress>(PlacementPipelineProvider.OrleansPlacementKey);

        // What Orleans' placement service took when the silo was built (a private field of an internal type: this
        // fails if an Orleans upgrade looks its pipeline up some other way, and OEE's would then go unused).
        var placementType = typeof(Orleans.Hosting.SiloBuilderExtensions).Assembly.GetType("Orleans.Runtime.Placement.PlacementService", throwOnError: true)!;
        var placement = Silo.GetRequiredService(placementType);
        var taken = placementType.GetField("_resiliencePipeline", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(placement);
        Assert.Same(ours, taken);

        // Every other name still comes from Polly's registry.
        Assert.False(provider.TryGetPipeline<SiloAddress>("no such pipeline", out _));
        Assert.False(provider.TryGetPipeline("no such pipeline", out _));
    }

    [Fact]
    public void Deactivations_and_the_host_stop_wait_longer_than_a_body_drain()
    {
        var oee = Silo.GetRequiredService<IOptions<OeeOptions>>().Value;
        var drain = oee.DrainTimeout + oee.DrainCancelGrace;

        Assert.True(Silo.GetRequiredService<IOptions<GrainCollectionOptions>>().Value.DeactivationTimeout > drain);
        Assert.True(Silo.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout > drain);
    }
}
