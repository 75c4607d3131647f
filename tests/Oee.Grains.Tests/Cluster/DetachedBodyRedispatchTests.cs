using Microsoft.Extensions.DependencyInjection;
using Oee.Grains.Client;
using Oee.Grains.Contracts;
using Oee.Grains.Handlers;
using Oee.Grains.Tasks;
using Oee.Grains.Workers;
using Orleans.TestingHost;

namespace Oee.Grains.Tests.Cluster;

/// <summary>
/// A repeated dispatch (a lease check, a queue re-sending its starts) that reaches a task while it waits for a body
/// slot is a duplicate of the start under way, not the next attempt's start. It used to be kept for after the
/// attempt (as the start of a retry due at once is): when the task's activation then went away while its body ran
/// on (Orleans' classic directory does this during rolling restarts), the going activation took that start once
/// the body's outcome had reached the task's next activation, found its own stale record running with no attempt
/// and "recovered" it (a Warning that the task was lost, and a start of attempt 2 that only the record's version
/// check stopped). Seen in the rolling-restart end-to-end test. Its own one-silo cluster with one body slot, so that
/// a dispatched task surely waits for a slot.
/// </summary>
public sealed class DetachedBodyRedispatchTests : IAsyncLifetime
{
    private readonly TaskGrainEvents events = new();
    private InProcessTestCluster cluster = null!;
    private IOrchestrator orchestrator = null!;

    public async Task InitializeAsync()
    {
        cluster = await SingleSiloCluster.StartAsync(
            new()
            {
                ["Oee:WorkerSlotsPerSilo"] = "1",

                // The queue dispatches the second task while the first holds the only slot, as when several queues share the slots.
                ["Oee:DispatchWithinSlots"] = "false",
            },
            silo =>
            {
                silo.Services.AddLogging(events.AddTo);
                silo.Services.AddTaskHandler<GateHandler>(GateHandler.Name);
            });
        orchestrator = OrchestratorServiceCollectionExtensions.Create(cluster.Client, TimeProvider.System);
    }

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    [Fact]
    public async Task A_start_repeated_while_the_task_waited_for_its_slot_is_not_taken_after_its_body_outlived_the_activation()
    {
        var services = cluster.Silos[0].ServiceProvider;
        var slots = services.GetRequiredService<WorkerSlots>();
        var attempts = services.GetRequiredService<LocalAttempts>();
        var queue = Waiting.Unique("redispatch");
        var holdsTheSlot = Waiting.Unique("slot");
        var ownGate = Waiting.Unique("own");
        var holder = await Submit(queue, holdsTheSlot);
        await orchestrator.ForStatus(holder, OeeTaskStatus.Running);

        // Dispatched, waiting for the slot (still queued), the task is sent its start again.
        var id = await Submit(queue, ownGate);
        await Waiting.Until(() => slots.Waiting == 1, "the task to wait for the body slot");
        Assert.Equal(StartResult.Accepted, await cluster.Client.GetGrain<ITaskEngineGrain>(id).Start());

        // Its body runs; then its activation goes away while the silo runs on: the body runs on.
        GateHandler.Open(holdsTheSlot);
        await orchestrator.ForStatus(id, OeeTaskStatus.Running);
        await cluster.DeactivateAsync((Orleans.Runtime.IAddressable)cluster.Client.GetGrain<ITaskGrain>(id));
        Assert.Contains(id, events.TaskIds("LogDetached"));

        // The body ends; its outcome reaches the task's next activation; the going one forgets the attempt.
        GateHandler.Open(ownGate);
        var done = await orchestrator.ForStatus(id, OeeTaskStatus.Done);
        await Waiting.Until(() => !attempts.IsRunning(id, 1), "the going activation to forget the attempt");

        // A moment for the going activation to act on a start it kept (it would do so at once); a slower machine only
        // makes this check weaker, never failing.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal((1, "1"), (done.Attempt, done.Result));
        Assert.DoesNotContain(id, events.TaskIds("LogAttemptLost"));
        Assert.DoesNotContain(id, events.TaskIds("LogStartAfterAttemptFailed"));
        Assert.DoesNotContain(id, events.TaskIds("LogAttemptFailed"));
        var stored = await orchestrator.GetAsync(id);
        Assert.Equal((OeeTaskStatus.Done, 1), (stored!.Status, stored.Attempt));
        Assert.Equal(1, GateHandler.MostAtOnce(id));
    }

    private async Task<string> Submit(string queue, string gate) =>
        (await orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "gated", Handler = GateHandler.Name, Queue = queue, Input = $"{{\"gate\":\"{gate}\"}}" })).Task.Id;
}
