using Oee.Grains.Client;
using Oee.Grains.Contracts;
using Oee.Grains.Tasks;

namespace Oee.Grains.Tests.Cluster;

/// <summary>
/// The submit's fast paths (issue 13): a task dispatched by its enqueue's answer starts itself, and the
/// activation of a new id the facade generated skips the storage read (<c>ITaskEngineGrain.SubmitNew</c>), guarded by the first write's
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
    public async Task A_submit_without_an_id_creates_its_task_under_the_generated_id_and_leaves_no_request_context()
    {
        // Both submits go as the submit of a new id; nothing rides in Orleans' request context (each entry
        // there is copied into every message the caller and the task send afterwards).
        var queue = Waiting.Unique("new-id");
        var submitted = await Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "new", Handler = "echo", Queue = queue, Input = "{\"n\":1}" });
        Assert.True(submitted.Created);
        var receipt = await Orchestrator.SubmitForReceiptAsync(new SubmitTaskRequest { Name = "new", Handler = "echo", Queue = queue, Input = "{\"n\":2}" });
        Assert.True(receipt.Created);
        Assert.Empty(RequestContext.Keys);

        var first = await Orchestrator.ForStatus(submitted.Task.Id, OeeTaskStatus.Done);
        var second = await Orchestrator.ForStatus(receipt.Id, OeeTaskStatus.Done);
        Assert.Equal("{\"n\":1}", first.Result);
        Assert.Equal("{\"n\":2}", second.Result);
        Assert.Equal(1, first.Attempt);
        Assert.Equal(1, second.Attempt);
    }

    [Fact]
    public async Task A_new_id_submit_for_a_stored_task_fails_on_a_fresh_activation_and_never_overwrites_it()
    {
        // A queued task (its queue paused) gives up its activation after the submit: the next call activates it anew.
        var queue = Waiting.Unique("new-id-wrong");
        await Orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { Paused = true });
        var id = Waiting.Unique("existing");
        var original = await Orchestrator.SubmitAsync(new SubmitTaskRequest { Id = id, Name = "original", Handler = "echo", Queue = queue, Input = "{\"v\":1}" });
        Assert.True(original.Created);
        var grain = fixture.Cluster.Client.GetGrain<ITaskEngineGrain>(id);
        await fixture.Cluster.Client.ForNoActivation(grain, "the queued task's activation to go");

        // Claimed new, so the activation it creates reads no record: the submit's first write, conditional on
        // no record existing, must refuse, for the full answer and for the receipt alike.
        var request = new SubmitTaskRequest { Id = id, Name = "impostor", Handler = "echo", Queue = queue, Input = "{\"v\":2}" };
        await Assert.ThrowsAnyAsync<Exception>(async () => await grain.SubmitNew(request, receipt: false));
        await fixture.Cluster.Client.ForNoActivation(grain, "the refused submit's activation to go");
        await Assert.ThrowsAnyAsync<Exception>(async () => await grain.SubmitNew(request, receipt: true));

        var stored = await Orchestrator.GetAsync(id);
        Assert.NotNull(stored);
        Assert.Equal("original", stored.Name);
        Assert.Equal("{\"v\":1}", stored.Input);
        Assert.Equal(original.Task.Version, stored.Version);
        Assert.Equal(1, (await Orchestrator.GetQueueAsync(queue)).Pending);

        // An activation that has read the record answers the same claim as any submit: a conflict, not a failure.
        Assert.Equal(stored.Version, (await fixture.Cluster.Client.GetGrain<ITaskGrain>(id).Get(CancellationToken.None))!.Version);
        Assert.Equal(SubmitStatus.Conflict, (await grain.SubmitNew(request, receipt: false)).Status);

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
