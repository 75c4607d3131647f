using Oee.Grains.Contracts;

namespace Oee.Grains.Tests.Cluster;

/// <summary>Runs on both storages: see <see cref="OrderingTestsOnMemory"/> and <see cref="OrderingTestsOnPostgres"/>.</summary>
public abstract class OrderingTests(ClusterFixture fixture)
{
    [Fact]
    public async Task With_one_slot_and_a_blocker_50_tasks_start_in_priority_then_submit_order()
    {
        var orchestrator = fixture.Orchestrator;
        var queue = Waiting.Unique("order");
        await orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { MaxConcurrency = 1 });

        // The blocker holds the queue's one slot until cancelled, however long the submits take.
        var blocker = await orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "blocker", Handler = RecordingHandler.Name, Queue = queue, Priority = 10, Input = RecordingHandler.HeldBy(BodyGates.New("blocker")) });
        await orchestrator.ForStatus(blocker.Task.Id, OeeTaskStatus.Running);

        var random = new Random(20261126);
        var submitted = new List<(string Id, int Priority, int Index)>();
        for (var i = 0; i < 50; i++)
        {
            var priority = random.Next(0, 11);
            var task = await orchestrator.SubmitAsync(new SubmitTaskRequest { Name = $"t{i}", Handler = RecordingHandler.Name, Queue = queue, Priority = priority, Input = RecordingHandler.Instant });
            submitted.Add((task.Task.Id, priority, i));
        }

        await orchestrator.CancelAsync(blocker.Task.Id);
        var finished = await orchestrator.ForAllFinished(submitted.Select(s => s.Id));

        var expected = submitted.OrderByDescending(s => s.Priority).ThenBy(s => s.Index).Select(s => s.Id).ToList();
        Assert.Equal(expected.Prepend(blocker.Task.Id), RecordingHandler.StartsOf(queue));
        Assert.All(finished, t => Assert.Equal(OeeTaskStatus.Done, t.Status));
        var byStart = finished.OrderBy(t => t.StartedAt).Select(t => t.Id).ToList();
        Assert.Equal(expected, byStart);
        Assert.Equal(OeeTaskStatus.Cancelled, (await orchestrator.GetAsync(blocker.Task.Id))!.Status);
    }

    [Fact]
    public async Task A_queue_never_runs_more_than_its_limit_at_once()
    {
        var orchestrator = fixture.Orchestrator;
        var queue = Waiting.Unique("limit");
        await orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { MaxConcurrency = 2 });

        // Each body is held by its own gate: the test lets them end one at a time, so there is
        // always more work than the limit allows, however slow the submits or the bodies are.
        var gateOf = new Dictionary<string, string>();
        for (var i = 0; i < 8; i++)
        {
            var gate = BodyGates.New("limit");
            var id = (await orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "t", Handler = RecordingHandler.Name, Queue = queue, Input = RecordingHandler.HeldBy(gate) })).Task.Id;
            gateOf[id] = gate;
        }

        for (var released = 0; released < gateOf.Count; released++)
        {
            // Two bodies run (fewer only at the end) and the rest wait, until the oldest is let go.
            var holding = Math.Min(2, gateOf.Count - released);
            QueueStatus? status = null;
            await Waiting.Until(
                async () => RecordingHandler.StartsOf(queue).Count == released + holding && (status = await orchestrator.GetQueueAsync(queue)).Running == holding,
                $"{released + holding} bodies to have started and {holding} to run (last seen: {status})");
            Assert.Equal(gateOf.Count - released - holding, status!.Pending);
            Assert.True(RecordingHandler.MostAtOnceIn(queue) <= 2, $"{RecordingHandler.MostAtOnceIn(queue)} bodies ran at once");
            BodyGates.Open(gateOf[RecordingHandler.StartsOf(queue)[released]]);
        }

        var tasks = await orchestrator.ForAllFinished(gateOf.Keys);
        Assert.All(tasks, t => Assert.Equal(OeeTaskStatus.Done, t.Status));
        Assert.Equal(2, RecordingHandler.MostAtOnceIn(queue));
        Assert.Equal(gateOf.Count, RecordingHandler.StartsOf(queue).Count);

        // No moment had more than two tasks running by their recorded times either.
        foreach (var task in tasks)
        {
            var overlapping = tasks.Count(o => o.StartedAt <= task.StartedAt && o.CompletedAt > task.StartedAt);
            Assert.True(overlapping <= 2, $"{overlapping} tasks overlapped at {task.StartedAt:O}");
        }
    }
}

[Collection(MemoryClusterCollection.Name)]
public sealed class OrderingTestsOnMemory(MemoryClusterFixture fixture) : OrderingTests(fixture);

[Collection(PostgresClusterCollection.Name)]
public sealed class OrderingTestsOnPostgres(PostgresClusterFixture fixture) : OrderingTests(fixture);
