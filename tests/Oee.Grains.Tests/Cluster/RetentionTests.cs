using Oee.Grains.Client;
using Oee.Grains.Contracts;
using Oee.Grains.Handlers;
using Orleans.TestingHost;

namespace Oee.Grains.Tests.Cluster;

/// <summary>
/// A one-silo cluster whose retention sweep removes a task as soon as it finished, every second, one task per step; one
/// index shard, so that the finished tasks are found oldest first across them all.
/// </summary>
public sealed class RetentionClusterFixture : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IOrchestrator Orchestrator { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Cluster = await SingleSiloCluster.StartAsync(
            new()
            {
                ["Oee:WarmUp:Enabled"] = "false",
                ["Oee:Retention:Done"] = "00:00:00",
                ["Oee:Retention:SweepInterval"] = "00:00:01",
                ["Oee:Retention:StepSize"] = "1",
                ["Oee:IndexShards"] = "1",
            },
            silo => silo.Services.AddTaskHandler<RecordingHandler>(RecordingHandler.Name));
        Orchestrator = OrchestratorServiceCollectionExtensions.Create(Cluster.Client, TimeProvider.System);
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>
/// The retention sweep removes finished tasks once older than their status's time, except a child whose parent has not
/// finished (a running pipeline's stage task, which the pipeline may still read): that one stays until its parent finished.
/// </summary>
public sealed class RetentionTests(RetentionClusterFixture fixture) : IClassFixture<RetentionClusterFixture>
{
    [Fact]
    public async Task The_sweep_keeps_a_finished_child_while_its_parent_runs_and_removes_it_once_the_parent_finished()
    {
        var orchestrator = fixture.Orchestrator;
        var queue = Waiting.Unique("retention");
        var gate = BodyGates.New("retention-parent");
        var parent = (await orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "parent", Handler = RecordingHandler.Name, Queue = queue, Input = RecordingHandler.HeldBy(gate) })).Task.Id;
        await orchestrator.ForStatus(parent, OeeTaskStatus.Running);
        var child = (await orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "stage", Handler = "echo", Input = "1", Queue = queue, ParentId = parent })).Task.Id;
        await orchestrator.ForStatus(child, OeeTaskStatus.Done);

        // A task that finished after the child, without a parent: once a sweep removed it, that sweep passed the child too.
        // The child, found first, stays: the sweep's next step looks past it (before, a step that removed nothing ended the
        // sweep, and a kept child at the front of the index held back every task behind it).
        var witness = (await orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "witness", Handler = "echo", Input = "2", Queue = queue })).Task.Id;
        await Waiting.Until(async () => await orchestrator.GetAsync(witness) is null, "the sweep to remove the witness");
        Assert.Equal(OeeTaskStatus.Done, (await orchestrator.GetAsync(child))?.Status);

        BodyGates.Open(gate);
        await Waiting.Until(async () => await orchestrator.GetAsync(child) is null && await orchestrator.GetAsync(parent) is null, "the sweep to remove the parent and its child");
    }
}
