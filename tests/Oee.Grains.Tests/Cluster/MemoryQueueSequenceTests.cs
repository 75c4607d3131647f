using Oee.Grains.Client;
using Oee.Grains.Contracts;
using Oee.Grains.Handlers;
using Orleans.TestingHost;

namespace Oee.Grains.Tests.Cluster;

/// <summary>
/// Memory mode, one silo of its own: a queue whose activation ended goes on numbering where it stopped, so a task that
/// reserved its number before (here one waiting for a dependency) keeps its place among tasks submitted after it.
/// </summary>
public sealed class MemoryQueueSequenceTests : IAsyncLifetime
{
    private InProcessTestCluster cluster = null!;
    private IOrchestrator orchestrator = null!;

    public async Task InitializeAsync()
    {
        cluster = await SingleSiloCluster.StartAsync(
            new() { ["Oee:WarmUp:Enabled"] = "false" },
            silo => silo.Services.AddTaskHandler<RecordingHandler>(RecordingHandler.Name));
        orchestrator = OrchestratorServiceCollectionExtensions.Create(cluster.Client, TimeProvider.System);
    }

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    [Fact]
    public async Task A_queue_activated_again_goes_on_numbering_and_a_waiting_task_keeps_its_place()
    {
        var queue = Waiting.Unique("renumber");
        var gate = BodyGates.New(queue);
        var dependency = (await orchestrator.SubmitAsync(Request(Waiting.Unique("dependency-queue"), "dependency", RecordingHandler.HeldBy(gate)))).Task.Id;
        var first = (await orchestrator.SubmitAsync(Request(queue, "first", RecordingHandler.Instant))).Task;
        var waiting = (await orchestrator.SubmitAsync(Request(queue, "waiting", RecordingHandler.Instant) with { DependsOn = [dependency] })).Task;
        Assert.Equal((0L, 1L), (first.Sequence, waiting.Sequence));
        await orchestrator.ForStatus(first.Id, OeeTaskStatus.Done);

        // The idle queue's activation ends (as collection would end it); the next one goes on from 2, not from 0.
        await orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { Paused = true, MaxConcurrency = 1 });
        await cluster.DeactivateAsync((Orleans.Runtime.IAddressable)cluster.Client.GetGrain<IQueueGrain>(queue));
        var later = (await orchestrator.SubmitAsync(Request(queue, "later", RecordingHandler.Instant))).Task;
        Assert.Equal(2, later.Sequence);
        var afterRestart = await orchestrator.GetQueueAsync(queue);
        Assert.Equal((true, 1, 3L), (afterRestart.Paused, afterRestart.Pending, afterRestart.NextSequence));

        // The waiting task enters with its number 1 and runs before the later one, one at a time (before session 24 the
        // new activation numbered from 0 again: "later" took 0 and ran first).
        BodyGates.Open(gate);
        await orchestrator.ForStatus(waiting.Id, OeeTaskStatus.Queued);
        await orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { Paused = false });
        await orchestrator.ForAllFinished([waiting.Id, later.Id]);
        Assert.Equal([first.Id, waiting.Id, later.Id], RecordingHandler.StartsOf(queue));
    }

    private static SubmitTaskRequest Request(string queue, string name, string input) =>
        new() { Name = name, Handler = RecordingHandler.Name, Queue = queue, Input = input };
}
