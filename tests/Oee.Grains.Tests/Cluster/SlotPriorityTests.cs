using Microsoft.Extensions.DependencyInjection;
using Oee.Grains.Client;
using Oee.Grains.Contracts;
using Oee.Grains.Handlers;
using Oee.Grains.Workers;
using Orleans.TestingHost;

namespace Oee.Grains.Tests.Cluster;

/// <summary>
/// A queue whose <c>maxConcurrency</c> is above the silo's worker slots dispatches more tasks than can run; they wait
/// on their silo for a slot. A task dispatched later with a higher priority still starts before them: strict priority
/// holds at the slot as it does in the queue. Its own one-silo cluster with one slot.
/// </summary>
public sealed class SlotPriorityTests : IAsyncLifetime
{
    private InProcessTestCluster cluster = null!;
    private IOrchestrator orchestrator = null!;

    public async Task InitializeAsync()
    {
        cluster = await SingleSiloCluster.StartAsync(
            new() { ["Oee:WorkerSlotsPerSilo"] = "1" },
            silo => silo.Services.AddTaskHandler<RecordingHandler>(RecordingHandler.Name));
        orchestrator = OrchestratorServiceCollectionExtensions.Create(cluster.Client, TimeProvider.System);
    }

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    [Fact]
    public async Task Tasks_waiting_for_the_silo_s_slot_start_in_priority_then_dispatch_order()
    {
        var queue = Waiting.Unique("slot-priority");
        await orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { MaxConcurrency = 100 });
        var slots = ((InProcessSiloHandle)cluster.Silos[0]).ServiceProvider.GetRequiredService<WorkerSlots>();

        // The blocker holds the silo's one slot; everything after it is dispatched at once and waits for the slot.
        var blocker = await Submit(queue, "blocker", 0, RecordingHandler.HeldBy(BodyGates.New("slot-blocker")));
        await orchestrator.ForStatus(blocker, OeeTaskStatus.Running);
        var submitted = new List<(string Id, int Priority, int Index)>();
        int[] priorities = [0, 0, 3, 0, 9, 3, 0, 9];
        for (var i = 0; i < priorities.Length; i++)
        {
            submitted.Add((await Submit(queue, $"t{i}", priorities[i], RecordingHandler.Instant), priorities[i], i));

            // Each waits at the slot before the next is submitted, so that dispatch order is submit order.
            var waiting = i + 1;
            await Waiting.Until(() => slots.Waiting == waiting, $"{waiting} tasks to wait for the slot");
        }

        await orchestrator.CancelAsync(blocker);
        var finished = await orchestrator.ForAllFinished(submitted.Select(s => s.Id));

        Assert.All(finished, t => Assert.Equal(OeeTaskStatus.Done, t.Status));
        var expected = submitted.OrderByDescending(s => s.Priority).ThenBy(s => s.Index).Select(s => s.Id).ToList();
        Assert.Equal(expected.Prepend(blocker), RecordingHandler.StartsOf(queue));
        Assert.All(finished, t => Assert.Equal(1, t.Attempt));
    }

    private async Task<string> Submit(string queue, string name, int priority, string input) =>
        (await orchestrator.SubmitAsync(new SubmitTaskRequest { Name = name, Handler = RecordingHandler.Name, Queue = queue, Priority = priority, Input = input })).Task.Id;
}
