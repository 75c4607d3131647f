using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Oee.Grains.Client;
using Oee.Grains.Configuration;
using Oee.Grains.Contracts;
using Oee.Grains.Handlers;
using Oee.Grains.Hosting;
using Oee.Grains.Tests.Cluster;
using Oee.Grains.Workers;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.TestingHost;

namespace Oee.Grains.Tests.Workers;

/// <summary>
/// Silos with different worker slots: each announces its own count in Orleans' silo metadata (set by configuration
/// on one silo, by code on the other), with the host's own metadata beside it, and a queue keeps its dispatch within
/// the slots of both together and half as many again, whichever silo it is on (before session 23 every silo was
/// counted with the queue's silo's count: 3 or 9 here instead of 6); task grains are placed by the same shares.
/// </summary>
public sealed class ClusterWorkerSlotsTests(ClusterWorkerSlotsTests.MixedSlotsCluster mixed) : IClassFixture<ClusterWorkerSlotsTests.MixedSlotsCluster>
{
    private const string SmallSilo = "Silo_0";
    private readonly InProcessTestCluster cluster = mixed.Cluster;
    private readonly IOrchestrator orchestrator = mixed.Orchestrator;

    /// <summary>Two silos: <see cref="SmallSilo"/> with 1 slot (configuration), the other with 3 (code), each a zone of its own.</summary>
    public sealed class MixedSlotsCluster : IAsyncLifetime
    {
        public InProcessTestCluster Cluster { get; private set; } = null!;

        public IOrchestrator Orchestrator { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            var builder = new InProcessTestClusterBuilder(2);
            builder.ConfigureSilo((options, silo) =>
            {
                var small = options.SiloName == SmallSilo;
                var settings = new Dictionary<string, string?>
                {
                    ["Oee:Cluster:Mode"] = "External",
                    ["Oee:WarmUp:Enabled"] = "false",
                    ["Orleans:Metadata:zone"] = small ? "a" : "b",
                };
                if (small)
                {
                    settings["Oee:WorkerSlotsPerSilo"] = "1";
                }

                silo.AddOee(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
                silo.Services.AddTaskHandler<GateHandler>(GateHandler.Name);
                if (!small)
                {
                    silo.Services.Configure<OeeOptions>(o => o.WorkerSlotsPerSilo = 3);
                }
            });
            Cluster = builder.Build();
            await Cluster.DeployAsync();
            Orchestrator = OrchestratorServiceCollectionExtensions.Create(Cluster.Client, TimeProvider.System);
        }

        public async Task DisposeAsync() => await Cluster.DisposeAsync();
    }

    [Fact]
    public async Task Each_silo_announces_its_own_slots_as_its_options_say_beside_the_host_s_metadata()
    {
        var small = Silo(SmallSilo);
        var large = cluster.Silos.Cast<InProcessSiloHandle>().Single(s => s.Name != SmallSilo);

        var largeSeenBySmall = await AnnouncedTo(small, large);
        var smallSeenByLarge = await AnnouncedTo(large, small);

        Assert.Equal(("3", "b"), (largeSeenBySmall.Metadata[ClusterWorkerSlots.MetadataKey], largeSeenBySmall.Metadata["zone"]));
        Assert.Equal(("1", "a"), (smallSeenByLarge.Metadata[ClusterWorkerSlots.MetadataKey], smallSeenByLarge.Metadata["zone"]));
        await EverySiloCountsBothSilosSlots();
    }

    [Fact]
    public async Task A_queue_dispatches_its_backlog_within_both_silos_slots_together_and_half_as_many_again()
    {
        await EverySiloCountsBothSilosSlots();

        var queue = Waiting.Unique("mixed-slots");
        var gate = Waiting.Unique("mixed-slots-gate");
        await orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { MaxConcurrency = 100, Paused = true });
        var ids = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            var submitted = await orchestrator.SubmitAsync(new SubmitTaskRequest
            {
                Name = $"t{i}",
                Handler = GateHandler.Name,
                Queue = queue,
                Input = $$"""{"gate":"{{gate}}"}""",
            });
            ids.Add(submitted.Task.Id);
        }

        var resumed = await orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { Paused = false });
        Assert.Equal((6, 4), (resumed.Running, resumed.Pending));

        GateHandler.Open(gate);
        var finished = await orchestrator.ForAllFinished(ids);
        Assert.All(finished, t => Assert.Equal((OeeTaskStatus.Done, 1), (t.Status, t.Attempt)));
    }

    [Fact]
    public async Task Tasks_are_placed_on_each_silo_by_its_share_of_the_slots()
    {
        await EverySiloCountsBothSilosSlots();
        var large = cluster.Silos.Single(s => s.Name != SmallSilo).SiloAddress.ToParsableString();

        // 300 tasks: a quarter expected on the silo of 1 slot, three quarters on the one of 3 (random placement: a half).
        // The bounds are 6 standard deviations of the binomial either side of 225.
        var queue = Waiting.Unique("placed-by-slots");
        var ids = await Task.WhenAll(Enumerable.Range(0, 300).Select(async i =>
            (await orchestrator.SubmitAsync(new SubmitTaskRequest { Name = $"p{i}", Handler = "echo", Queue = queue, Input = "1" })).Task.Id));
        var finished = await orchestrator.ForAllFinished(ids);

        Assert.All(finished, t => Assert.Equal(OeeTaskStatus.Done, t.Status));
        Assert.InRange(finished.Count(t => t.Silo == large), 180, 270);
    }

    [Theory]
    [InlineData("12", 12)]
    [InlineData("0", null)]
    [InlineData("-3", null)]
    [InlineData("many", null)]
    [InlineData(" 4", null)]
    public void A_silo_s_announced_count_is_read_only_when_it_is_a_positive_number(string text, int? expected)
    {
        Assert.Null(ClusterWorkerSlots.Announced(SiloMetadata.Empty.Metadata));
        Assert.Equal(expected, ClusterWorkerSlots.Announced(new Dictionary<string, string> { [ClusterWorkerSlots.MetadataKey] = text, ["zone"] = "a" }));
    }

    [Fact]
    public void A_weighted_point_falls_on_each_silo_as_often_as_its_count_and_a_silo_not_counted_weighs_the_fallback()
    {
        SiloAddress[] silos = [Address(1), Address(2), Address(3), Address(4)];
        var counts = new Dictionary<SiloAddress, int> { [silos[0]] = 1, [silos[1]] = 3, [silos[2]] = 2 };

        // Every point from 0 to 1 + 3 + 2 + 2 (the fourth silo, not counted, weighs the fallback 2), exclusive.
        var chosen = Enumerable.Range(0, 8).Select(point => Array.IndexOf(silos, ClusterWorkerSlots.Weighted(silos, counts, 2, point)));

        Assert.Equal([0, 1, 1, 1, 2, 2, 3, 3], chosen);
        Assert.Throws<ArgumentOutOfRangeException>(() => ClusterWorkerSlots.Weighted(silos, counts, 2, 8));
    }

    private static SiloAddress Address(int port) => SiloAddress.New(System.Net.IPAddress.Loopback, 11000 + port, 1);

    // The metadata of `silo` as `observer` has fetched it (once the membership update reaches its cache).
    private static async Task<SiloMetadata> AnnouncedTo(InProcessSiloHandle observer, InProcessSiloHandle silo)
    {
        var cache = observer.ServiceProvider.GetRequiredService<ISiloMetadataCache>();
        await Waiting.Until(() => cache.GetSiloMetadata(silo.SiloAddress).Metadata.Count > 0, $"{observer.Name} to fetch {silo.Name}'s metadata");
        return cache.GetSiloMetadata(silo.SiloAddress);
    }

    private async Task EverySiloCountsBothSilosSlots()
    {
        foreach (var silo in cluster.Silos.Cast<InProcessSiloHandle>())
        {
            await Waiting.Until(() => silo.ServiceProvider.GetRequiredService<ClusterWorkerSlots>().Total == 1 + 3, $"{silo.Name} to count both silos' slots");
        }
    }

    private InProcessSiloHandle Silo(string name) => cluster.Silos.Cast<InProcessSiloHandle>().Single(s => s.Name == name);
}
