using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Oee.Grains.Client;
using Oee.Grains.Handlers;
using Oee.Grains.Hosting;
using Orleans.TestingHost;

namespace Oee.Grains.Tests.Cluster;

/// <summary>One in-process cluster of two silos with OEE, shared by the "cluster" collection.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public const int SlotsPerSilo = 50;
    public const int MaxInputBytes = 4096;

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IOrchestrator Orchestrator { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Oee:Cluster:Mode"] = "External",
            ["Oee:WorkerSlotsPerSilo"] = SlotsPerSilo.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Oee:MaxInputBytes"] = MaxInputBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build();

        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddOee(configuration);
            silo.Services.AddTaskHandler<RecordingHandler>(RecordingHandler.Name);
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        Orchestrator = new Orchestrator(Cluster.Client, TimeProvider.System);
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
