using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Oee.Grains.Client;
using Oee.Grains.Contracts;
using Oee.Grains.Handlers;
using Oee.Grains.Telemetry;
using Oee.Grains.Workers;
using Orleans.TestingHost;

namespace Oee.Grains.Tests.Cluster;

/// <summary>
/// Worker slots and priority, on a one-silo cluster of its own with one slot. A queue allowing more than the
/// cluster's slots dispatches its backlog no further than they can run and half as many again, so the rest waits in
/// the queue, in its order; a task enqueueing itself with nothing else waiting still starts at once and waits on the silo. Tasks
/// waiting on the silo for the slot (here of several queues) take it in priority order: a task dispatched later
/// with a higher priority still starts before them; a task that aged in its queue waits there at its aged level.
/// The engine runs on a fake clock (nothing here waits for engine time), so that a test can age a task.
/// </summary>
public sealed class SlotPriorityTests : IAsyncLifetime
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2032, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private InProcessTestCluster cluster = null!;
    private IOrchestrator orchestrator = null!;
    private WorkerSlots slots = null!;

    public async Task InitializeAsync()
    {
        cluster = await SingleSiloCluster.StartAsync(
            new() { ["Oee:WorkerSlotsPerSilo"] = "1", ["Oee:WarmUp:Enabled"] = "false" },
            silo => silo.Services.AddTaskHandler<RecordingHandler>(RecordingHandler.Name),
            clock);
        orchestrator = OrchestratorServiceCollectionExtensions.Create(cluster.Client, clock);
        slots = ((InProcessSiloHandle)cluster.Silos[0]).ServiceProvider.GetRequiredService<WorkerSlots>();
    }

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    [Fact]
    public async Task A_queue_allowing_more_than_the_cluster_s_slots_dispatches_its_backlog_only_as_they_free()
    {
        var (queue, blocker) = await QueueWithItsBlockerRunning("within-slots");

        // A backlog: submitted while paused, then resumed with the cluster's one slot taken. Each body is held by a gate of
        // its own, so that the test lets one end only once the queue's next dispatch waits on the silo for the slot (a freed
        // slot goes to a task already waiting for it: one still on its way could be overtaken by the dispatch after it).
        await orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { Paused = true });
        var submitted = new List<(string Id, int Priority, int Index, string Gate)>();
        int[] priorities = [0, 0, 3, 0, 9, 3, 0, 9];
        for (var i = 0; i < priorities.Length; i++)
        {
            var gate = BodyGates.New($"within-slots-{i}");
            submitted.Add((await Submit(queue, $"t{i}", priorities[i], RecordingHandler.HeldBy(gate)), priorities[i], i, gate));
        }

        var resumed = await orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { Paused = false });

        // The cluster's one slot and half as many again (rounded up): one more is dispatched, the best, and waits on
        // the silo; the rest wait in the queue.
        Assert.Equal((2, priorities.Length - 1), (resumed.Running, resumed.Pending));
        await Waiting.Until(() => slots.Waiting == 1, "the best task to wait on the silo for the slot");
        var status = await orchestrator.GetQueueAsync(queue);
        Assert.Equal((2, priorities.Length - 1), (status.Running, status.Pending));

        // Then the backlog runs in its order (priority, then submit), one body at a time, each dispatched as one leaves.
        await orchestrator.CancelAsync(blocker);
        var expected = submitted.OrderByDescending(s => s.Priority).ThenBy(s => s.Index).ToList();
        for (var k = 0; k < expected.Count; k++)
        {
            await Waiting.Until(() => RecordingHandler.StartsOf(queue).Count == k + 2, $"body {k + 1} of the backlog to start");
            Assert.Equal(expected[k].Id, RecordingHandler.StartsOf(queue)[k + 1]);
            if (k + 1 < expected.Count)
            {
                await Waiting.Until(() => slots.Waiting == 1, "the next task to wait on the silo for the slot");
            }

            BodyGates.Open(expected[k].Gate);
        }

        var finished = await orchestrator.ForAllFinished(submitted.Select(s => s.Id));
        Assert.All(finished, t => Assert.Equal((OeeTaskStatus.Done, 1), (t.Status, t.Attempt)));
        Assert.Equal(expected.Select(s => s.Id).Prepend(blocker), RecordingHandler.StartsOf(queue));
    }

    [Fact]
    public async Task A_task_submitted_into_a_queue_with_nothing_waiting_starts_at_once_even_past_the_slots()
    {
        // Its activation is alive: it waits on its silo for the slot rather than leave and come back.
        var (queue, blocker) = await QueueWithItsBlockerRunning("past-slots");
        var next = await Submit(queue, "next", 0, RecordingHandler.Instant);
        await Waiting.Until(() => slots.Waiting == 1, "the task to wait on the silo for the slot");
        Assert.Equal((2, 0), ((await orchestrator.GetQueueAsync(queue)).Running, (await orchestrator.GetQueueAsync(queue)).Pending));

        await orchestrator.CancelAsync(blocker);
        Assert.Equal(1, (await orchestrator.ForStatus(next, OeeTaskStatus.Done)).Attempt);
    }

    [Fact]
    public async Task Tasks_of_several_queues_waiting_for_the_silo_s_slot_start_in_priority_then_dispatch_order()
    {
        // The blocker holds the silo's one slot; each task after it is in a queue of its own, which dispatches it at
        // once (its one running task is within the cluster's one slot), so it waits on the silo for the slot.
        var blocker = await Submit(Waiting.Unique("slot-blocker"), "blocker", 0, RecordingHandler.HeldBy(BodyGates.New("slot-blocker")));
        await orchestrator.ForStatus(blocker, OeeTaskStatus.Running);
        var submitted = new List<(string Id, int Priority, int Index)>();
        int[] priorities = [0, 0, 3, 0, 9, 3, 0, 9];
        for (var i = 0; i < priorities.Length; i++)
        {
            submitted.Add((await Submit(Waiting.Unique("slot-priority"), $"t{i}", priorities[i], RecordingHandler.Instant), priorities[i], i));

            // Each waits at the slot before the next is submitted, so that dispatch order is submit order.
            var waiting = i + 1;
            await Waiting.Until(() => slots.Waiting == waiting, $"{waiting} tasks to wait for the slot");
        }

        await orchestrator.CancelAsync(blocker);
        var finished = await orchestrator.ForAllFinished(submitted.Select(s => s.Id));

        Assert.All(finished, t => Assert.Equal((OeeTaskStatus.Done, 1), (t.Status, t.Attempt)));
        var expected = submitted.OrderByDescending(s => s.Priority).ThenBy(s => s.Index).Select(s => s.Id).ToList();
        Assert.Equal(expected, finished.OrderBy(t => RecordingHandler.StartNumber(t.Id)).Select(t => t.Id).ToList());
    }

    [Fact]
    public async Task A_task_aged_in_its_queue_waits_for_the_silo_s_slot_at_its_aged_level()
    {
        // The blocker holds the one slot. A priority-2 task waits in a paused queue that ages its tasks a level a second,
        // for ten seconds: level 10 now. A fresher priority-5 task of another queue waits on the silo for the slot.
        var (_, blocker) = await QueueWithItsBlockerRunning("aged");
        var agedQueue = Waiting.Unique("aged-queue");
        await orchestrator.ConfigureQueueAsync(agedQueue, new QueueSettingsUpdate { Paused = true, AgingInterval = TimeSpan.FromSeconds(1) });
        var aged = await Submit(agedQueue, "aged", 2, RecordingHandler.Instant);
        clock.Advance(TimeSpan.FromSeconds(10));
        var fresh = await Submit(Waiting.Unique("fresh-queue"), "fresh", 5, RecordingHandler.Instant);
        await Waiting.Until(() => slots.Waiting == 1, "the fresher task to wait on the silo for the slot");

        // Resumed, its queue dispatches the aged task at its level, and it waits on the silo beside the fresher one.
        await orchestrator.ConfigureQueueAsync(agedQueue, new QueueSettingsUpdate { Paused = false });
        await Waiting.Until(() => slots.Waiting == 2, "the aged task to wait on the silo for the slot too");

        // The slot goes to the aged task first, as its queue ordered it (by its priority 2 it would go after the 5).
        await orchestrator.CancelAsync(blocker);
        var finished = await orchestrator.ForAllFinished([aged, fresh]);
        Assert.All(finished, t => Assert.Equal((OeeTaskStatus.Done, 1), (t.Status, t.Attempt)));
        Assert.True(
            RecordingHandler.StartNumber(aged) < RecordingHandler.StartNumber(fresh),
            "The task aged to level 10 should take the slot before the fresher priority-5 task.");
    }

    [Fact]
    public async Task Queues_resumed_together_dispatch_within_the_silo_s_budget_and_a_higher_priority_one_past_it()
    {
        // The blocker's queue holds one of the silo's two dispatch units (the cluster's one slot and half as many
        // again). Three more queues, each allowing 100 and holding a backlog of three, are resumed: each holding none
        // gets one, and no more (each alone would dispatch two, six in all, waiting on the silo for its one slot).
        var (_, blocker) = await QueueWithItsBlockerRunning("budget");
        var low = new List<string>();
        var queues = new List<string>();
        for (var q = 0; q < 3; q++)
        {
            var queue = Waiting.Unique("budget-low");
            queues.Add(queue);
            await orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { MaxConcurrency = 100, Paused = true });
            for (var i = 0; i < 3; i++)
            {
                low.Add(await Submit(queue, $"low{q}-{i}", 0, RecordingHandler.Instant));
            }
        }

        foreach (var queue in queues)
        {
            await orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { Paused = false });
        }

        await Waiting.Until(() => slots.Waiting == 3, "one task of each resumed queue to wait on the silo for the slot");
        foreach (var queue in queues)
        {
            var status = await orchestrator.GetQueueAsync(queue);
            Assert.Equal((1, 2), (status.Running, status.Pending));
        }

        // Priority 9 counts none of those: its queue dispatches two, which take the slot before them.
        var highQueue = Waiting.Unique("budget-high");
        await orchestrator.ConfigureQueueAsync(highQueue, new QueueSettingsUpdate { MaxConcurrency = 100, Paused = true });
        var high = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            high.Add(await Submit(highQueue, $"high-{i}", 9, RecordingHandler.Instant));
        }

        var resumed = await orchestrator.ConfigureQueueAsync(highQueue, new QueueSettingsUpdate { Paused = false });
        Assert.Equal((2, 1), (resumed.Running, resumed.Pending));
        await Waiting.Until(() => slots.Waiting == 5, "the two high-priority tasks to wait on the silo as well");

        await orchestrator.CancelAsync(blocker);
        var finished = await orchestrator.ForAllFinished(low.Concat(high));
        Assert.All(finished, t => Assert.Equal((OeeTaskStatus.Done, 1), (t.Status, t.Attempt)));
        var order = finished.OrderBy(t => RecordingHandler.StartNumber(t.Id)).Select(t => t.Id).ToList();
        Assert.Equal(high.Take(2).ToHashSet(), order.Take(2).ToHashSet());
    }

    [Fact]
    public async Task The_silo_s_gauges_report_its_slots_the_tasks_waiting_for_one_and_the_dispatch_units()
    {
        // The blocker holds the one slot; a second task of its queue (within the bound of two) waits for it.
        var (queue, blocker) = await QueueWithItsBlockerRunning("gauges");
        var next = await Submit(queue, "next", 0, RecordingHandler.Instant);
        await Waiting.Until(() => slots.Waiting == 1, "the second task to wait on the silo for the slot");
        var silo = cluster.Silos[0].SiloAddress.ToParsableString();
        Assert.Equal(
            (1, 1, 1, 2),
            (Gauge("oee.worker.slots.busy", silo), Gauge("oee.worker.slots.total", silo), Gauge("oee.worker.slots.waiting", silo), Gauge("oee.dispatch.units", silo)));

        await orchestrator.CancelAsync(blocker);
        await orchestrator.ForStatus(next, OeeTaskStatus.Done);
        await Waiting.Until(
            () => (Gauge("oee.worker.slots.busy", silo), Gauge("oee.worker.slots.waiting", silo), Gauge("oee.dispatch.units", silo)) == (0, 0, 0),
            "the gauges to read an idle silo");
    }

    // One observable gauge of OEE's meter as this silo reports it now.
    private static int Gauge(string name, string silo)
    {
        long? value = null;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == OeeTelemetry.MeterName && instrument.Name == name)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, measured, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == SiloGauges.SiloTag && tag.Value as string == silo)
                {
                    value = measured;
                }
            }
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return (int)(value ?? throw new InvalidOperationException($"{name} reported nothing for silo {silo}."));
    }

    // A queue allowing 100 at once whose first task holds the cluster's one slot until cancelled.
    private async Task<(string Queue, string Blocker)> QueueWithItsBlockerRunning(string prefix)
    {
        var queue = Waiting.Unique(prefix);
        await orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { MaxConcurrency = 100 });
        var blocker = await Submit(queue, "blocker", 0, RecordingHandler.HeldBy(BodyGates.New(prefix + "-blocker")));
        await orchestrator.ForStatus(blocker, OeeTaskStatus.Running);
        return (queue, blocker);
    }

    private async Task<string> Submit(string queue, string name, int priority, string input) =>
        (await orchestrator.SubmitAsync(new SubmitTaskRequest { Name = name, Handler = RecordingHandler.Name, Queue = queue, Priority = priority, Input = input })).Task.Id;
}
