using Oee.Grains.Client;
using Oee.Grains.Contracts;
using Oee.Grains.Tasks;

namespace Oee.Grains.Tests.Cluster;

/// <summary>
/// The submit's fast paths (issue 13): a task dispatched by its enqueue's answer starts itself, and the
/// activation of a new id the facade generated skips the storage read, guarded by the first write's
/// check. Runs on both storages: <see cref="SubmitFastPathTestsOnMemory"/>, <see cref="SubmitFastPathTestsOnPostgres"/>.
/// </summary>
public abstract class SubmitFastPathTests(ClusterFixture fixture)
{
    private IOrchestrator Orchestrator => fixture.Orchestrator;

    [Fact]
    public async Task Tasks_started_by_their_enqueue_answer_each_run_once_in_one_attempt()
    {
        var queue = Waiting.Unique("fast");
        var submitted = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "fast", Handler = RecordingHandler.Name, Queue = queue, Input = RecordingHandler.Instant })));
        Assert.All(submitted, s => Assert.True(s.Created));

        var done = await Orchestrator.ForAll(submitted.Select(s => s.Task.Id), t => t.Status == OeeTaskStatus.Done);

        Assert.All(done, t => Assert.Equal(1, t.Attempt));
        Assert.Equal(20, RecordingHandler.StartsOf(queue).Count);
        Assert.Equal(20, RecordingHandler.StartsOf(queue).Distinct().Count());
        await Waiting.Until(async () => (await Orchestrator.GetQueueAsync(queue)) is { Running: 0, Pending: 0, Finished: 20 }, "the queue to count 20 finished and none running");
        Assert.Equal(20, (await Orchestrator.GetQueueAsync(queue)).Started);
    }

    [Fact]
    public async Task The_new_task_hint_of_a_generated_id_never_reaches_the_callers_later_calls()
    {
        // The facade sets the hint in its submit's own execution context and no longer removes it: the
        // caller's context after the submit must not carry it (else its next calls would copy it along).
        var queue = Waiting.Unique("hint-scope");
        var submitted = await Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "scoped", Handler = "echo", Queue = queue, Input = "{}" });
        Assert.True(submitted.Created);
        Assert.False(NewTaskHint.IsFor(submitted.Task.Id));

        var receipt = await Orchestrator.SubmitForReceiptAsync(new SubmitTaskRequest { Name = "scoped", Handler = "echo", Queue = queue, Input = "{}" });
        Assert.True(receipt.Created);
        Assert.False(NewTaskHint.IsFor(receipt.Id));

        // Both were created under the ids the facade generated (the requests were sent without one).
        Assert.Equal(receipt.Id, (await Orchestrator.ForStatus(receipt.Id, OeeTaskStatus.Done)).Id);
        Assert.Equal(submitted.Task.Id, (await Orchestrator.ForStatus(submitted.Task.Id, OeeTaskStatus.Done)).Id);
    }

    [Fact]
    public async Task A_wrong_new_task_hint_fails_the_submit_and_never_overwrites_the_stored_task()
    {
        // A queued task (its queue paused) gives up its activation after the submit: the next call activates it anew.
        var queue = Waiting.Unique("hint");
        await Orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { Paused = true });
        var id = Waiting.Unique("existing");
        var original = await Orchestrator.SubmitAsync(new SubmitTaskRequest { Id = id, Name = "original", Handler = "echo", Queue = queue, Input = "{\"v\":1}" });
        Assert.True(original.Created);

        // The hint claims the id is new, so the activation it creates does not read the stored record:
        // the submit's first write, conditional on no record existing, must refuse.
        NewTaskHint.Set(id);
        try
        {
            var grain = fixture.Cluster.Client.GetGrain<ITaskGrain>(id);
            var request = new SubmitTaskRequest { Id = id, Name = "impostor", Handler = "echo", Queue = queue, Input = "{\"v\":2}" };
            await Assert.ThrowsAnyAsync<Exception>(() => grain.Submit(request, CancellationToken.None));
        }
        finally
        {
            NewTaskHint.Clear();
        }

        var stored = await Orchestrator.GetAsync(id);
        Assert.NotNull(stored);
        Assert.Equal("original", stored.Name);
        Assert.Equal("{\"v\":1}", stored.Input);
        Assert.Equal(original.Task.Version, stored.Version);
        Assert.Equal(1, (await Orchestrator.GetQueueAsync(queue)).Pending);

        await Orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { Paused = false });
        var done = await Orchestrator.ForStatus(id, OeeTaskStatus.Done);
        Assert.Equal("{\"v\":1}", done.Result);
        Assert.Equal(1, done.Attempt);
    }
}

[Collection(MemoryClusterCollection.Name)]
public sealed class SubmitFastPathTestsOnMemory(MemoryClusterFixture fixture) : SubmitFastPathTests(fixture);

[Collection(PostgresClusterCollection.Name)]
public sealed class SubmitFastPathTestsOnPostgres(PostgresClusterFixture fixture) : SubmitFastPathTests(fixture);
