using Oee.Grains.Client;
using Oee.Grains.Contracts;

namespace Oee.Grains.Tests.Cluster;

/// <summary>
/// Batch submits answered as receipts (<see cref="IOrchestrator.SubmitBatchForReceiptsAsync"/>) and the batch's ids the
/// facade generated submitted as new (their activations read no record, guarded by the first write's check). Runs on
/// both storages: <see cref="BatchReceiptTestsOnMemory"/>, <see cref="BatchReceiptTestsOnPostgres"/>.
/// </summary>
public abstract class BatchReceiptTests(ClusterFixture fixture)
{
    private IOrchestrator Orchestrator => fixture.Orchestrator;

    private IClusterClient Client => fixture.Cluster.Client;

    private IBatchSubmitGrain BatchGrain => Client.GetGrain<IBatchSubmitGrain>(0);

    [Fact]
    public async Task A_receipt_batch_answers_created_and_existing_tasks_without_them_and_a_conflict_with_the_task_it_met()
    {
        var queue = Waiting.Unique("batch-receipts");
        var chosen = Waiting.Unique("chosen");
        var taken = Waiting.Unique("taken");
        await Orchestrator.SubmitAsync(new SubmitTaskRequest { Id = taken, Name = "first", Handler = "echo", Queue = queue });
        var requests = new[]
        {
            new SubmitTaskRequest { Name = "generated id", Handler = "echo", Queue = queue, Input = "{\"n\":0}" },
            new SubmitTaskRequest { Id = chosen, Name = "chosen id", Handler = "echo", Queue = queue, Input = "{\"n\":1}", Priority = 9 },
            new SubmitTaskRequest { Id = taken, Name = "another request", Handler = "echo", Queue = queue },
            new SubmitTaskRequest { Name = "no such handler", Handler = "nope", Queue = queue },
        };

        var results = await Orchestrator.SubmitBatchForReceiptsAsync(requests);
        var again = await Orchestrator.SubmitBatchForReceiptsAsync([requests[1]]);

        Assert.Equal([SubmitStatus.Created, SubmitStatus.Created, SubmitStatus.Conflict, SubmitStatus.Invalid], results.Select(r => r.Status));
        Assert.True(Guid.TryParse(results[0].Id, out _));
        Assert.Equal(chosen, results[1].Id);
        Assert.Null(results[0].Task);
        Assert.Null(results[1].Task);
        Assert.Equal("first", results[2].Task!.Name);
        Assert.Equal("handler", Assert.Single(results[3].Errors).Field);
        Assert.Equal(SubmitStatus.Existing, Assert.Single(again).Status);
        Assert.Null(again[0].Task);

        // The receipts' ids are the tasks': they run as any submitted task does.
        var done = await Orchestrator.ForAllFinished([results[0].Id, chosen]);
        Assert.All(done, t => Assert.Equal(OeeTaskStatus.Done, t.Status));
        Assert.Equal("{\"n\":0}", done[0].Result);
        Assert.Equal(9, done[1].Priority);
        Assert.Null(await Orchestrator.GetAsync(results[3].Id));
    }

    [Fact]
    public async Task A_batch_submits_only_the_ids_it_generated_as_new_so_a_given_stored_id_is_read_and_found()
    {
        // The stored task waits in a paused queue without an activation: the batch's call activates it anew.
        var queue = Waiting.Unique("batch-given");
        await Orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { Paused = true });
        var given = new SubmitTaskRequest { Id = Waiting.Unique("given"), Name = "given", Handler = "echo", Queue = queue, Input = "{\"g\":1}" };
        var original = await Orchestrator.SubmitAsync(given);
        await Client.ForNoActivation(Client.GetGrain<ITaskGrain>(given.Id!), "the queued task's activation to go");

        // Were the given id claimed new, its fresh activation would read nothing, and the first write's check
        // would fail its submit; read, it finds the same request.
        var results = await Orchestrator.SubmitBatchForReceiptsAsync([given, new SubmitTaskRequest { Name = "generated", Handler = "echo", Queue = queue }]);

        Assert.Equal([SubmitStatus.Existing, SubmitStatus.Created], results.Select(r => r.Status));
        var stored = await Orchestrator.GetAsync(given.Id!);
        Assert.Equal(original.Task.Version, stored!.Version);

        await Orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { Paused = false });
        var done = await Orchestrator.ForAllFinished([given.Id!, results[1].Id]);
        Assert.All(done, t => Assert.Equal(OeeTaskStatus.Done, t.Status));
        Assert.Equal("{\"g\":1}", done[0].Result);
    }

    [Fact]
    public async Task A_new_id_claim_in_a_batch_for_a_stored_task_fails_that_task_only_and_never_overwrites_it()
    {
        var queue = Waiting.Unique("batch-new-wrong");
        await Orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { Paused = true });
        var id = Waiting.Unique("stored");
        var original = await Orchestrator.SubmitAsync(new SubmitTaskRequest { Id = id, Name = "original", Handler = "echo", Queue = queue, Input = "{\"v\":1}" });
        await Client.ForNoActivation(Client.GetGrain<ITaskGrain>(id), "the queued task's activation to go");

        // A direct caller claims the stored id new: its activation reads nothing, and the first write, conditional on no
        // record existing, refuses. The batch's other task is not held back by it.
        var other = Waiting.Unique("other");
        var results = await BatchGrain.Submit(
            [
                new SubmitTaskRequest { Id = id, Name = "impostor", Handler = "echo", Queue = queue, Input = "{\"v\":2}" },
                new SubmitTaskRequest { Id = other, Name = "other", Handler = "echo", Queue = queue },
            ],
            newIds: [true, true],
            receipts: true);

        Assert.Equal([SubmitStatus.Failed, SubmitStatus.Created], results.Select(r => r.Status));
        Assert.False(string.IsNullOrWhiteSpace(results[0].Failure));
        var stored = await Orchestrator.GetAsync(id);
        Assert.Equal("original", stored!.Name);
        Assert.Equal("{\"v\":1}", stored.Input);
        Assert.Equal(original.Task.Version, stored.Version);

        await Orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { Paused = false });
        var done = await Orchestrator.ForAllFinished([id, other]);
        Assert.Equal("{\"v\":1}", done[0].Result);
        Assert.Equal(1, done[0].Attempt);
        Assert.Equal(OeeTaskStatus.Done, done[1].Status);
    }

    [Fact]
    public async Task The_batch_grain_refuses_new_id_flags_that_do_not_match_its_requests_and_submits_nothing()
    {
        var id = Waiting.Unique("mismatch");

        var refused = await Assert.ThrowsAnyAsync<ArgumentException>(() => BatchGrain.Submit(
            [new SubmitTaskRequest { Id = id, Name = "x", Handler = "echo" }], newIds: [true, false], receipts: false));

        Assert.Contains("one entry per request", refused.Message, StringComparison.Ordinal);
        Assert.Null(await Orchestrator.GetAsync(id));
    }
}

[Collection(MemoryClusterCollection.Name)]
public sealed class BatchReceiptTestsOnMemory(MemoryClusterFixture fixture) : BatchReceiptTests(fixture);

[Collection(PostgresClusterCollection.Name)]
public sealed class BatchReceiptTestsOnPostgres(PostgresClusterFixture fixture) : BatchReceiptTests(fixture);
