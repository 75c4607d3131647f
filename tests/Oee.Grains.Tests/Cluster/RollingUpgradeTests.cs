using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Oee.Grains.Client;
using Oee.Grains.Cluster;
using Oee.Grains.Contracts;
using Oee.Grains.Handlers;
using Oee.Grains.Hosting;
using Oee.Tests.Shared;
using Orleans.Metadata;
using Orleans.Runtime;
using Orleans.Runtime.Placement;
using Orleans.TestingHost;

namespace Oee.Grains.Tests.Cluster;

/// <summary>
/// A rolling upgrade's middle: one silo of this build and one that describes OEE's grain interfaces as the build
/// before interface versions did (<see cref="EarlierInterfaceVersions"/>), on PostgreSQL. A call from the upgraded
/// silo never runs on an activation of the earlier one (which, really of an earlier build, may lack the method):
/// Orleans moves that grain to a silo of the upgraded version, and a body already running on the earlier silo
/// finishes there and reports to the moved task. Calls to a silo-targeted grain, unversioned on purpose, still
/// reach the earlier silo they name (<see cref="GrainInterfaceVersionTests"/>).
/// </summary>
public sealed class RollingUpgradeTests : IAsyncLifetime
{
    private const string EarlierSiloName = "Silo_1";

    private readonly TestDatabase database = new();
    private InProcessTestCluster cluster = null!;
    private InProcessSiloHandle upgraded = null!;
    private InProcessSiloHandle earlier = null!;

    public async Task InitializeAsync()
    {
        await database.CreateAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Oee:Cluster:Mode"] = "External",
            ["Oee:PostgreSql:ConnectionString"] = database.ConnectionString,

            // The queue's lease check calls its running tasks; from a queue on the upgraded silo that call alone
            // would move a task off the earlier silo. Each test places its queue on the earlier silo, and the check
            // does not come round within a test.
            ["Oee:LeaseCheckInterval"] = "00:10:00",
        }).Build();
        var builder = new InProcessTestClusterBuilder(2);

        // The test cluster otherwise takes every silo for compatible with every call, whatever its versions.
        builder.Options.AssumeHomogenousSilosForTesting = false;
        builder.ConfigureSilo((options, silo) =>
        {
            silo.AddOee(configuration);
            silo.Services.AddTaskHandler<GateHandler>(GateHandler.Name);
            if (options.SiloName == EarlierSiloName)
            {
                silo.Services.AddSingleton<IGrainInterfacePropertiesProvider, EarlierInterfaceVersions>();
            }
        });
        cluster = builder.Build();
        await cluster.DeployAsync();
        upgraded = (InProcessSiloHandle)cluster.Silos.Single(s => s.Name != EarlierSiloName);
        earlier = (InProcessSiloHandle)cluster.Silos.Single(s => s.Name == EarlierSiloName);
    }

    public async Task DisposeAsync()
    {
        await cluster.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task A_call_from_an_upgraded_silo_moves_a_running_task_off_the_earlier_silo_and_its_body_finishes_once()
    {
        var gate = Waiting.Unique("upgrade");
        var (id, queue) = await SubmitOnEarlierSilo(gate);
        var fromEarlier = Factory(earlier).GetGrain<ITaskGrain>(id);
        await Waiting.Until(async () => (await fromEarlier.Get())?.Status == OeeTaskStatus.Running, "the task to run on the earlier silo");

        // The earlier silo's own calls (version 0) left it where it is.
        Assert.Equal(earlier.SiloAddress, await ActivationSilo(fromEarlier));
        Assert.Equal(earlier.SiloAddress.ToParsableString(), (await fromEarlier.Get())?.Silo);

        // The earlier silo's worker is asked as an upgraded silo asks it during a lease check: silo-targeted,
        // unversioned, it is reached where it is.
        var earliersWorker = Factory(upgraded).GetGrain<ISiloWorkerGrain>(earlier.SiloAddress.ToParsableString());
        Assert.True(await earliersWorker.RunsAttempt(id, 1));

        var fromUpgraded = Factory(upgraded).GetGrain<ITaskGrain>(id);
        var seen = await fromUpgraded.Get() ?? throw new Xunit.Sdk.XunitException("the upgraded silo did not find the task");
        Assert.Equal((OeeTaskStatus.Running, 1), (seen.Status, seen.Attempt));
        Assert.Equal(upgraded.SiloAddress, await ActivationSilo(fromUpgraded));

        // The earlier silo's calls are served by the moved activation: no move back.
        Assert.Equal(OeeTaskStatus.Running, (await fromEarlier.Get())?.Status);
        Assert.Equal(upgraded.SiloAddress, await ActivationSilo(fromEarlier));

        GateHandler.Open(gate);
        var done = await OrchestratorServiceCollectionExtensions.Create(cluster.Client, TimeProvider.System).ForStatus(id, OeeTaskStatus.Done);
        Assert.Equal((1, "1"), (done.Attempt, done.Result));
        Assert.Equal(1, GateHandler.MostAtOnce(id));
        Assert.Equal(earlier.SiloAddress.ToParsableString(), done.Silo);

        // The queue, moved to the upgraded silo by the moved task's leave or by this call, has read its entries back
        // from PostgreSQL: nothing pending, nothing running.
        var status = await cluster.Client.GetGrain<IQueueGrain>(queue).GetStatus();
        Assert.Equal((0, 0), (status.Pending, status.Running));
        Assert.Equal(upgraded.SiloAddress, await ActivationSilo(cluster.Client.GetGrain<IQueueGrain>(queue)));
    }

    private static IGrainFactory Factory(InProcessSiloHandle silo) => silo.ServiceProvider.GetRequiredService<IGrainFactory>();

    private async Task<SiloAddress?> ActivationSilo(IAddressable grain) =>
        await cluster.Client.GetGrain<IManagementGrain>(0).GetActivationAddress(grain);

    // Submitted from the earlier silo (calls of version 0) with a placement hint, into a queue activated there
    // first: the task's activation, its body and its queue are on the earlier silo.
    private async Task<(string Id, string Queue)> SubmitOnEarlierSilo(string gate)
    {
        var queue = Waiting.Unique("upgrade");
        var orchestrator = OrchestratorServiceCollectionExtensions.Create(earlier.ServiceProvider.GetRequiredService<IClusterClient>(), TimeProvider.System);
        RequestContext.Set(IPlacementDirector.PlacementHintKey, earlier.SiloAddress);
        try
        {
            var queueGrain = Factory(earlier).GetGrain<IQueueGrain>(queue);
            await queueGrain.GetStatus();
            Assert.Equal(earlier.SiloAddress, await ActivationSilo(queueGrain));
            var request = new SubmitTaskRequest { Name = "upgrade", Handler = GateHandler.Name, Queue = queue, Input = $"{{\"gate\":\"{gate}\"}}" };
            return ((await orchestrator.SubmitAsync(request)).Task.Id, queue);
        }
        finally
        {
            RequestContext.Remove(IPlacementDirector.PlacementHintKey);
        }
    }
}
