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
        var blocker = await orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "blocker", Handler = "delay", Queue = queue, Priority = 10, Input = "{\"ms\": 60000}" });
        await orchestrator.ForStatus(blocker.Task.Id, OeeTaskStatus.Running);

        var random = new Random(20261126);
        var submitted = new List<(string Id, int Priority, int Index)>();
        for (var i = 0; i < 50; i++)
        {
            var priority = random.Next(0, 11);
            var task = await orchestrator.SubmitAsync(new SubmitTaskRequest { Name = $"t{i}", Handler = RecordingHandler.Name, Queue = queue, Priority = priority, Input = "{\"ms\": 0}" });
            submitted.Add((task.Task.Id, priority, i));
        }

        await orchestrator.CancelAsync(blocker.Task.Id);
        var finished = await orchestrator.ForAllFinished(submitted.Select(s => s.Id));

        var expected = submitted.OrderByDescending(s => s.Priority).ThenBy(s => s.Index).Select(s => s.Id).ToList();
        Assert.Equal(expected, RecordingHandler.StartsOf(queue));
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
        var ids = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            ids.Add((await orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "t", Handler = "delay", Queue = queue, Input = "{\"ms\": 150}" })).Task.Id);
        }

        var maxSeen = 0;
        while (true)
        {
            var status = await orchestrator.GetQueueAsync(queue);
            maxSeen = Math.Max(maxSeen, status.Running);
            if (status.Finished == ids.Count)
            {
                break;
            }

            await Task.Delay(10);
        }

        var tasks = await orchestrator.ForAllFinished(ids);
        Assert.Equal(2, maxSeen);

        // No moment had more than two bodies in flight.
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
