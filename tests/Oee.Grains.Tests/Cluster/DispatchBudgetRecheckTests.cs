using Microsoft.Extensions.DependencyInjection;
using Oee.Grains.Client;
using Oee.Grains.Contracts;
using Oee.Grains.Handlers;
using Oee.Grains.Queues;
using Oee.Grains.Workers;
using Orleans.TestingHost;

namespace Oee.Grains.Tests.Cluster;

/// <summary>
/// A queue held back by its silo's dispatch budget while its own task runs on: nothing of its own will bring it
/// back soon, so it asks again by itself and dispatches as soon as another queue's task frees a unit. On a one-silo
/// cluster of its own with two slots (a budget of three) and lease checks ten minutes apart, so that no lease tick
/// dispatches for it.
/// </summary>
public sealed class DispatchBudgetRecheckTests : IAsyncLifetime
{
    private InProcessTestCluster cluster = null!;
    private IOrchestrator orchestrator = null!;
    private WorkerSlots slots = null!;
    private DispatchBudget budget = null!;

    public async Task InitializeAsync()
    {
        cluster = await SingleSiloCluster.StartAsync(
            new() { ["Oee:WorkerSlotsPerSilo"] = "2", ["Oee:LeaseCheckInterval"] = "00:10:00", ["Oee:WarmUp:Enabled"] = "false" },
            silo => silo.Services.AddTaskHandler<RecordingHandler>(RecordingHandler.Name));
        orchestrator = OrchestratorServiceCollectionExtensions.Create(cluster.Client, TimeProvider.System);
        var services = ((InProcessSiloHandle)cluster.Silos[0]).ServiceProvider;
        slots = services.GetRequiredService<WorkerSlots>();
        budget = services.GetRequiredService<DispatchBudget>();
    }

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    [Fact]
    public async Task A_queue_held_back_while_its_own_task_runs_dispatches_once_another_queue_frees_a_unit()
    {
        // Three queues, each with one task held running or waiting for a slot: one unit each, the budget's three.
        var held = new Dictionary<string, (string Queue, string Task)>();
        foreach (var name in new[] { "a", "b", "c" })
        {
            var queue = Waiting.Unique($"recheck-{name}");
            await orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { MaxConcurrency = 100 });
            held[name] = (queue, await Submit(queue, name, RecordingHandler.HeldBy(BodyGates.New(queue))));
        }

        await Waiting.Until(() => slots.Waiting == 1, "two tasks to hold the slots and the third to wait for one");
        Assert.Equal(3, budget.Taken);

        // A second task of queue a, queued while it is paused (a task enqueueing itself alone would start at once):
        // resumed, the queue is at its share and the budget is spent.
        var queueA = held["a"].Queue;
        await orchestrator.ConfigureQueueAsync(queueA, new QueueSettingsUpdate { Paused = true });
        var next = await Submit(queueA, "a-next", RecordingHandler.Instant);
        var resumed = await orchestrator.ConfigureQueueAsync(queueA, new QueueSettingsUpdate { Paused = false });
        Assert.Equal((1, 1), (resumed.Running, resumed.Pending));

        // Queue b's task ends: its unit comes back, and queue a, whose own task still runs, takes it.
        await orchestrator.CancelAsync(held["b"].Task);
        await Waiting.Until(
            async () => (await orchestrator.GetQueueAsync(queueA)) is { Running: 2, Pending: 0 },
            "queue a to dispatch its second task");

        await orchestrator.CancelAsync(held["a"].Task);
        await orchestrator.CancelAsync(held["c"].Task);
        Assert.Equal(1, (await orchestrator.ForStatus(next, OeeTaskStatus.Done)).Attempt);
        await Waiting.Until(() => budget.Taken == 0, "every unit to come back once the queues are empty");
    }

    private async Task<string> Submit(string queue, string name, string input) =>
        (await orchestrator.SubmitAsync(new SubmitTaskRequest { Name = name, Handler = RecordingHandler.Name, Queue = queue, Input = input })).Task.Id;
}
