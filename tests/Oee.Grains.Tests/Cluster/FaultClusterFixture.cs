using Oee.Grains.Client;
using Oee.Grains.Handlers;
using Orleans.TestingHost;

namespace Oee.Grains.Tests.Cluster;

/// <summary>
/// A one-silo cluster whose incoming grain calls can be made to hang, fail or get lost (<see cref="GrainCallFaults"/>),
/// one per test class that uses it: a fault set by one test never meets another class's calls. Lease checks every second.
/// </summary>
public sealed class FaultClusterFixture : IAsyncLifetime
{
    public GrainCallFaults Faults { get; } = new();

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IOrchestrator Orchestrator { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Cluster = await SingleSiloCluster.StartAsync(
            new() { ["Oee:WarmUp:Enabled"] = "false", ["Oee:LeaseCheckInterval"] = "00:00:01" },
            silo =>
            {
                silo.AddIncomingGrainCallFilter(Faults);
                silo.Services.AddTaskHandler<DependencyResultsHandler>(DependencyResultsHandler.Name);
            });
        Orchestrator = OrchestratorServiceCollectionExtensions.Create(Cluster.Client, TimeProvider.System);
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
