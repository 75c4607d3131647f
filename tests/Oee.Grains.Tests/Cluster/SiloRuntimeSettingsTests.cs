using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Oee.Grains.Cluster.DirectoryCache;
using Oee.Grains.Cluster.Placement;
using Oee.Grains.Configuration;
using Oee.Grains.Tests.Cluster.DirectoryCache;
using Oee.Grains.Contracts;
using Oee.Grains.Hosting;
using Oee.Grains.Queues;
using Oee.Grains.Tasks;
using Orleans.Configuration;
using Orleans.Metadata;
using Orleans.Runtime;
using Orleans.Runtime.GrainDirectory;
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
        // Every grain's address but a task's; Orleans' default keeps a million (with Oee:Cluster:CacheTaskAddresses, tasks' too).
        Assert.Equal(OeeSiloBuilderExtensions.DirectoryCacheSize, Silo.GetRequiredService<IOptions<GrainDirectoryOptions>>().Value.CacheSize);
        Assert.Equal(10_000, OeeSiloBuilderExtensions.DirectoryCacheSize);
    }

    [Fact]
    public async Task Orleans_directory_cache_keeps_other_grains_addresses_but_no_task_grains()
    {
        var caches = fixture.Cluster.Silos.Select(s => OrleansDirectoryCaches.Of(s.ServiceProvider))
            .SelectMany(c => new[] { Assert.IsType<TaskAddressSkippingCache>(c.Directory), Assert.IsType<TaskAddressSkippingCache>(c.Locator) })
            .ToList();
        var queue = $"dircache-{Guid.NewGuid():N}";

        // A running task: its grain is active, and the silo that placed it is the gateway the submit came through.
        var running = await fixture.Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "holds", Handler = "delay", Queue = queue, Input = "{\"ms\": 600000}" });
        await fixture.Orchestrator.ForStatus(running.Task.Id, OeeTaskStatus.Running);
        var taskGrainType = Silo.GetRequiredService<GrainTypeResolver>().GetGrainType(typeof(TaskGrain));
        try
        {
            var cached = caches.SelectMany(c => c.KeyValues).Select(e => e.ActivationAddress.GrainId).ToList();
            Assert.DoesNotContain(cached, id => id.Type.Equals(taskGrainType));
            Assert.Contains(cached, id => id.Type.Equals(Silo.GetRequiredService<GrainTypeResolver>().GetGrainType(typeof(QueueGrain))));

            // Not cached, still reached: the directory answers for it.
            Assert.Equal(OeeTaskStatus.Running, (await fixture.Orchestrator.GetAsync(running.Task.Id))!.Status);
        }
        finally
        {
            await fixture.Orchestrator.CancelAsync(running.Task.Id);
        }

        Assert.Equal(OeeTaskStatus.Cancelled, (await fixture.Orchestrator.ForStatus(running.Task.Id, OeeTaskStatus.Cancelled)).Status);
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
