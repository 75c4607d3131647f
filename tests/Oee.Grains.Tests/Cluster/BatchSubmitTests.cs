using Oee.Grains.Client;
using Oee.Grains.Contracts;
using Oee.Grains.Queues;

namespace Oee.Grains.Tests.Cluster;

/// <summary>Runs on both storages: see <see cref="BatchSubmitTestsOnMemory"/> and <see cref="BatchSubmitTestsOnPostgres"/>.</summary>
public abstract class BatchSubmitTests(ClusterFixture fixture)
{
    private IOrchestrator Orchestrator => fixture.Orchestrator;

    [Fact]
    public async Task A_batch_answers_each_task_in_order_and_runs_the_accepted_ones()
    {
        var queue = Waiting.Unique("batch");
        var chosen = Waiting.Unique("chosen");
        var taken = Waiting.Unique("taken");
        await Orchestrator.SubmitAsync(new SubmitTaskRequest { Id = taken, Name = "first", Handler = "echo", Queue = queue });
        var requests = new[]
        {
            new SubmitTaskRequest { Name = "generated id", Handler = "echo", Queue = queue, Input = "{\"n\":0}" },
            new SubmitTaskRequest { Id = chosen, Name = "chosen id", Handler = "echo", Queue = queue, Input = "{\"n\":1}", Priority = 9 },
            new SubmitTaskRequest { Id = taken, Name = "another request", Handler = "echo", Queue = queue },
            new SubmitTaskRequest { Name = "no such handler", Handler = "nope", Queue = queue },
            new SubmitTaskRequest { Name = "bad input", Handler = "delay", Queue = queue, Input = "{\"ms\":\"soon\"}" },
            new SubmitTaskRequest { Id = chosen, Name = "chosen id", Handler = "echo", Queue = queue, Input = "{\"n\":1}", Priority = 9 },
        };

        var results = await Orchestrator.SubmitBatchAsync(requests);

        Assert.Equal(requests.Length, results.Length);
        Assert.Equal(SubmitStatus.Created, results[0].Status);
        Assert.True(Guid.TryParse(results[0].Id, out _));
        Assert.Equal(results[0].Id, results[0].Task!.Id);

        // The same id twice in one batch: one of them creates, the other finds the same request.
        Assert.Equal(chosen, results[1].Id);
        Assert.Equal(chosen, results[5].Id);
        Assert.Equal([SubmitStatus.Created, SubmitStatus.Existing], new[] { results[1].Status, results[5].Status }.Order());
        Assert.Equal(9, results[1].Task!.Priority);

        Assert.Equal(SubmitStatus.Conflict, results[2].Status);
        Assert.Equal("first", results[2].Task!.Name);
        Assert.Equal(SubmitStatus.Invalid, results[3].Status);
        Assert.Equal("handler", Assert.Single(results[3].Errors).Field);
        Assert.Equal(SubmitStatus.Invalid, results[4].Status);
        Assert.Equal("input", Assert.Single(results[4].Errors).Field);
        Assert.Null(await Orchestrator.GetAsync(results[3].Id));
        Assert.Null(await Orchestrator.GetAsync(results[4].Id));

        var done = await Orchestrator.ForAllFinished([results[0].Id, chosen, taken]);
        Assert.All(done, t => Assert.Equal(OeeTaskStatus.Done, t.Status));
        Assert.Equal("{\"n\":1}", done[1].Result);
        Assert.Equal(3, (await Orchestrator.GetQueueAsync(queue)).Enqueued);
    }

    [Fact]
    public async Task A_batch_keeps_its_order_among_equal_priorities()
    {
        var queue = Waiting.Unique("batch-order");
        await Orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { MaxConcurrency = 1, Paused = true });
        var random = new Random(42);
        var requests = Enumerable.Range(0, 60)
            .Select(i => new SubmitTaskRequest { Name = $"t{i}", Handler = RecordingHandler.Name, Queue = queue, Priority = random.Next(0, 3) * 3 + 2, Input = RecordingHandler.Instant })
            .ToArray();

        var results = await Orchestrator.SubmitBatchAsync(requests);
        await Orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { Paused = false });
        await Orchestrator.ForAllFinished(results.Select(r => r.Id));

        var expected = results.Select((r, i) => (r.Id, requests[i].Priority, Index: i))
            .OrderByDescending(t => t.Priority).ThenBy(t => t.Index).Select(t => t.Id);
        Assert.Equal(expected, RecordingHandler.StartsOf(queue));
    }

    [Fact]
    public async Task A_queue_hands_out_reserved_blocks_once_and_refuses_numbers_it_never_reserved()
    {
        var queue = fixture.Cluster.Client.GetGrain<IQueueEngineGrain>(Waiting.Unique("reserve"));
        var first = await queue.Reserve(10);
        var second = await queue.Reserve(5);
        Assert.Equal(first + 10, second);

        var placed = await queue.EnqueueReserved(Waiting.Unique("t"), 5, first + 3, null);
        Assert.Equal(first + 3, placed.Sequence);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.EnqueueReserved(Waiting.Unique("t"), 5, second + 5, null));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.Reserve(0));

        // A plain enqueue takes the next number after every reserved block.
        Assert.Equal(second + 5, (await queue.Enqueue(Waiting.Unique("t"), 5, null)).Sequence);
    }

    [Fact]
    public async Task A_batch_with_a_malformed_task_submits_nothing_and_names_the_field()
    {
        var id = Waiting.Unique("kept-out");
        var requests = new[]
        {
            new SubmitTaskRequest { Id = id, Name = "fine", Handler = "echo" },
            new SubmitTaskRequest { Name = "", Handler = "echo" },
            new SubmitTaskRequest { Name = "too high", Handler = "echo", Priority = 11 },
        };

        var invalid = await Assert.ThrowsAsync<OeeValidationException>(() => Orchestrator.SubmitBatchAsync(requests));

        Assert.Equal(["tasks[1].name", "tasks[2].priority"], invalid.Errors.Select(e => e.Field).Order());
        Assert.Null(await Orchestrator.GetAsync(id));
    }

    [Fact]
    public async Task A_batch_holds_one_to_a_thousand_tasks()
    {
        var empty = await Assert.ThrowsAsync<OeeValidationException>(() => Orchestrator.SubmitBatchAsync([]));
        Assert.Equal("tasks", Assert.Single(empty.Errors).Field);

        var tooMany = Enumerable.Range(0, TaskLimits.MaxBatchSize + 1).Select(i => new SubmitTaskRequest { Name = $"t{i}", Handler = "echo" }).ToArray();
        var over = await Assert.ThrowsAsync<OeeValidationException>(() => Orchestrator.SubmitBatchAsync(tooMany));
        Assert.Contains("1001", Assert.Single(over.Errors).Message, StringComparison.Ordinal);

        // Run them as the cluster's slots allow rather than the default three at a time: the test
        // is about the batch, and a thousand tasks in threes take seconds of the suite's time.
        var queue = Waiting.Unique("full-batch");
        await Orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { MaxConcurrency = 2 * ClusterFixture.SlotsPerSilo });
        var full = Enumerable.Range(0, TaskLimits.MaxBatchSize).Select(i => new SubmitTaskRequest { Name = $"t{i}", Handler = "echo", Queue = queue }).ToArray();
        var results = await Orchestrator.SubmitBatchAsync(full);
        Assert.All(results, r => Assert.Equal(SubmitStatus.Created, r.Status));
        Assert.Equal(TaskLimits.MaxBatchSize, results.Select(r => r.Id).Distinct().Count());
        Assert.Equal(TaskLimits.MaxBatchSize, results.Select(r => r.Task!.Sequence).Distinct().Count());

        // Waits on the queue's counter and reads the index: a thousand task reads would reactivate
        // a thousand finished grains.
        await Waiting.Until(async () => (await Orchestrator.GetQueueAsync(queue)).Finished == TaskLimits.MaxBatchSize, "the queue to finish its thousand tasks", Waiting.AllSeconds);
        var done = new List<string>();
        string? cursor = null;
        do
        {
            var page = await Orchestrator.ListAsync(new TaskQuery { Queue = queue, Status = OeeTaskStatus.Done, Limit = TaskQuery.MaxLimit, Cursor = cursor });
            done.AddRange(page.Items.Select(t => t.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(results.Select(r => r.Id).Order(), done.Order());
    }
}

[Collection(MemoryClusterCollection.Name)]
public sealed class BatchSubmitTestsOnMemory(MemoryClusterFixture fixture) : BatchSubmitTests(fixture);

[Collection(PostgresClusterCollection.Name)]
public sealed class BatchSubmitTestsOnPostgres(PostgresClusterFixture fixture) : BatchSubmitTests(fixture);
