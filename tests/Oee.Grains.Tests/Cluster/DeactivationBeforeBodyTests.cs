using Microsoft.Extensions.DependencyInjection;
using Oee.Grains.Client;
using Oee.Grains.Contracts;
using Oee.Grains.Handlers;
using Oee.Grains.Tasks;
using Oee.Grains.Workers;
using Orleans.TestingHost;

namespace Oee.Grains.Tests.Cluster;

/// <summary>
/// A task's activation that Orleans deactivates while its silo runs on, after the task was dispatched
/// but before its body began (it awaited a body slot, or its start was being written; Orleans does this
/// when the grain directory changes hands, e.g. as a silo joins): no body begins in the going
/// activation, and the task goes back to its queue without counting an attempt, so its body runs
/// once, as attempt 1, in its next activation. (Before, the body began in the going activation, was
/// drained, cancelled and handed back as a counted attempt.) And a repeated dispatch (a lease check, a queue
/// re-sending its starts) that reaches a task while it waits for its slot is a duplicate of the start under way,
/// never kept for after the attempt: kept, it was taken by the going activation of a body that outlived it, which
/// read its own stale record, logged the attempt lost and tried attempt 2 (seen in the rolling-restart test).
/// Its own one-silo cluster with one body slot, so that a dispatched task surely waits for a slot.
/// </summary>
public sealed class DeactivationBeforeBodyTests : IAsyncLifetime
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
                ["Oee:LeaseCheckInterval"] = "00:00:01",

                // The queue dispatches the second task while the first holds the only slot, as when several queues share the slots.
                ["Oee:DispatchWithinSlots"] = "false",

                // Long, so that the slot frees while the activation still drains, however slow the machine.
                ["Oee:DrainTimeout"] = "00:00:30",
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
    public async Task A_task_whose_activation_goes_away_before_its_body_began_runs_its_body_once_as_attempt_1()
    {
        var queue = Waiting.Unique("deactivated");
        var holdsTheSlot = Waiting.Unique("slot");
        var waitsForIt = Waiting.Unique("waiting");
        var holder = await Submit(queue, holdsTheSlot);
        await orchestrator.ForStatus(holder, OeeTaskStatus.Running);
        var waiting = await Submit(queue, waitsForIt);

        // Deactivate the waiting task's activation once it holds the dispatch (it then drains):
        // before that, a deactivation finds no attempt and the dispatch reaches a new activation.
        var task = cluster.Client.GetGrain<ITaskGrain>(waiting);
        Task deactivation = Task.CompletedTask;
        await Waiting.Until(
            () =>
            {
                if (events.TaskIds("LogDraining").Contains(waiting))
                {
                    return true;
                }

                if (deactivation.IsCompleted)
                {
                    deactivation = cluster.DeactivateAsync((Orleans.Runtime.IAddressable)task);
                }

                return false;
            },
            "the waiting task's activation to be deactivated while it holds its dispatch");

        // The slot frees while the activation drains: the body does not begin there; the dispatch goes
        // back to the queue, which starts the task in its next activation.
        GateHandler.Open(holdsTheSlot);
        await deactivation;

        var running = await orchestrator.ForStatus(waiting, OeeTaskStatus.Running);
        Assert.Equal(1, running.Attempt);
        GateHandler.Open(waitsForIt);
        var done = await orchestrator.ForStatus(waiting, OeeTaskStatus.Done);
        Assert.Equal((1, "1"), (done.Attempt, done.Result));
        Assert.Equal(1, GateHandler.MostAtOnce(waiting));
        Assert.DoesNotContain(waiting, events.TaskIds("LogHandedBack"));
    }

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
