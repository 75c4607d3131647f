using Oee.Grains.Client;
using Oee.Grains.Contracts;
using Oee.Grains.Queues;
using Oee.Grains.Tasks;
using Oee.Grains.Workers;
using Orleans.TestingHost;

namespace Oee.Grains.Tests.Cluster;

/// <summary>
/// An attempt handed back before its body began while its task's activation stays alive (the silo's worker answered
/// its start "not mine"): the queue dispatches the task again at once, and a start that reaches the activation while
/// that attempt is still ending is kept and taken once the attempt is over, so the task runs without waiting for the
/// queue's lease check. Before, it was dropped as a duplicate of the attempt under way, and the task sat dispatched,
/// queued, until the next lease check (10 s by default). On a one-silo cluster of its own with lease checks ten minutes
/// apart, so that no lease check starts it.
/// </summary>
public sealed class UnrunHandBackRestartTests : IAsyncLifetime
{
    private readonly GrainCallFaults faults = new();
    private InProcessTestCluster cluster = null!;
    private IOrchestrator orchestrator = null!;

    public async Task InitializeAsync()
    {
        cluster = await SingleSiloCluster.StartAsync(
            new() { ["Oee:WarmUp:Enabled"] = "false", ["Oee:LeaseCheckInterval"] = "00:10:00" },
            silo => silo.AddIncomingGrainCallFilter(faults));
        orchestrator = OrchestratorServiceCollectionExtensions.Create(cluster.Client, TimeProvider.System);
    }

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    [Fact]
    public async Task A_start_sent_while_an_unrun_attempt_is_handed_back_runs_the_task_without_the_lease_check()
    {
        // The worker answers the first body it is given with "not mine" (as a worker placed on another silo does). The
        // queue's answer to the hand-back is held (the queue has taken it and dispatched the task again), so that the
        // attempt is surely still ending when the queue's new start reaches the task, whatever the machine's speed.
        faults.Drop(nameof(IWorkerGrain.StartBody), GrainCallFaults.AnyGrain, answer: false, times: 1);
        faults.HoldAnswer(nameof(IQueueEngineGrain.Requeue), GrainCallFaults.AnyGrain);
        try
        {
            var id = (await orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "unrun", Handler = "echo", Input = "1", Queue = Waiting.Unique("handback") })).Task.Id;

            // Dispatched at once by its enqueue's answer, the task started itself: the first start its queue sends it is the
            // one after the hand-back, answered while the attempt waits for the queue's answer to that hand-back.
            await Waiting.Until(() => Starts(id) == 1, "the queue's start after the hand-back to be answered");
            Assert.Equal(1, faults.Seen(nameof(IQueueEngineGrain.Requeue), GrainCallFaults.AnyGrain));
            Assert.Equal(0, faults.Answered(nameof(IQueueEngineGrain.Requeue), GrainCallFaults.AnyGrain));
            faults.Clear(nameof(IQueueEngineGrain.Requeue), GrainCallFaults.AnyGrain);

            // Well within the lease check interval (ten minutes): only that start can run it now.
            var done = await orchestrator.ForStatus(id, OeeTaskStatus.Done);
            Assert.Equal((1, "1"), (done.Attempt, done.Result));
            Assert.Equal(2, faults.Answered(nameof(IWorkerGrain.StartBody), GrainCallFaults.AnyGrain));
            Assert.Equal(1, Starts(id));
        }
        finally
        {
            faults.Clear(nameof(IQueueEngineGrain.Requeue), GrainCallFaults.AnyGrain);
            faults.Clear(nameof(IWorkerGrain.StartBody), GrainCallFaults.AnyGrain);
        }
    }

    // The queue's starts the task answered (at its priority, or at a level aging raised it to).
    private int Starts(string id) =>
        faults.Answered(nameof(ITaskEngineGrain.Start), id) + faults.Answered(nameof(ITaskEngineGrain.StartAt), id);
}
