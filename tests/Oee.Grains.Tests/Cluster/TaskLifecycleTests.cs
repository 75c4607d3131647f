using Oee.Grains.Client;
using Oee.Grains.Contracts;
using Oee.Grains.Handlers;

namespace Oee.Grains.Tests.Cluster;

/// <summary>Runs on both storages: see <see cref="TaskLifecycleTestsOnMemory"/> and <see cref="TaskLifecycleTestsOnPostgres"/>.</summary>
public abstract class TaskLifecycleTests(ClusterFixture fixture)
{
    private IOrchestrator Orchestrator => fixture.Orchestrator;

    [Fact]
    public async Task An_echo_task_runs_once_and_is_done_with_its_input_as_result()
    {
        var submitted = await Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "echo it", Handler = "echo", Input = "{\"a\":1}", Tags = ["x"] });
        Assert.True(submitted.Created);
        Assert.Equal(OeeTaskStatus.Queued, submitted.Task.Status);
        Assert.Equal("default", submitted.Task.Queue);
        Assert.Equal(5, submitted.Task.Priority);
        Assert.True(Guid.TryParse(submitted.Task.Id, out _));

        var done = await Orchestrator.ForStatus(submitted.Task.Id, OeeTaskStatus.Done);
        Assert.Equal("{\"a\":1}", done.Result);
        Assert.Equal(1, done.Attempt);
        Assert.NotNull(done.Silo);
        Assert.True(done.CreatedAt <= done.StartedAt && done.StartedAt <= done.CompletedAt);
    }

    [Fact]
    public async Task A_failing_body_ends_error_with_its_message_and_type()
    {
        var submitted = await Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "boom", Handler = "fail", Input = "{\"message\":\"kaput\"}" });

        var failed = await Orchestrator.ForStatus(submitted.Task.Id, OeeTaskStatus.Error);
        Assert.Equal("kaput", failed.Error!.Message);
        Assert.Equal(typeof(TaskBodyFailedException).FullName, failed.Error.Type);
        Assert.Null(failed.Result);
    }

    [Fact]
    public async Task Cancel_of_a_queued_task_cancels_it_at_once_and_it_leaves_the_queue()
    {
        var queue = Waiting.Unique("paused");
        await Orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { Paused = true });
        var submitted = await Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "waits", Handler = "echo", Queue = queue });
        Assert.Equal(1, (await Orchestrator.GetQueueAsync(queue)).Pending);

        var result = await Orchestrator.CancelAsync(submitted.Task.Id);

        Assert.Equal(CancelStatus.Cancelled, result.Status);
        Assert.Equal(OeeTaskStatus.Cancelled, result.Task!.Status);
        Assert.Equal(0, (await Orchestrator.GetQueueAsync(queue)).Pending);
        // A task submitted after it runs once the queue resumes: when it is done, the queue has
        // passed the cancelled task's place and started only the later one.
        var later = await Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "later", Handler = "echo", Queue = queue });
        await Orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { Paused = false });
        await Orchestrator.ForStatus(later.Task.Id, OeeTaskStatus.Done);
        var after = await Orchestrator.GetAsync(submitted.Task.Id);
        Assert.Equal(OeeTaskStatus.Cancelled, after!.Status);
        Assert.Equal(0, after.Attempt);
        Assert.Equal(1, (await Orchestrator.GetQueueAsync(queue)).Started);
    }

    [Fact]
    public async Task Cancel_of_a_running_task_stops_its_body_and_ends_cancelled()
    {
        // Held by a gate never opened: the body runs until the cancel stops it.
        var queue = Waiting.Unique("run");
        var input = RecordingHandler.HeldBy(BodyGates.New("never"));
        var submitted = await Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "long", Handler = RecordingHandler.Name, Queue = queue, Input = input });
        await Waiting.Until(() => RecordingHandler.StartsOf(queue).Count == 1, "the body to start");

        var result = await Orchestrator.CancelAsync(submitted.Task.Id);
        Assert.Equal(CancelStatus.CancellationRequested, result.Status);
        Assert.True(result.Task!.CancelRequested);

        var cancelled = await Orchestrator.ForStatus(submitted.Task.Id, OeeTaskStatus.Cancelled);
        await Waiting.Until(() => RecordingHandler.SawCancellation(submitted.Task.Id), "the body to see its cancellation");
        Assert.Null(cancelled.Result);

        // Cancelling again is harmless.
        Assert.Equal(CancelStatus.Cancelled, (await Orchestrator.CancelAsync(submitted.Task.Id)).Status);
    }

    [Fact]
    public async Task Cancel_of_a_done_task_is_a_conflict_and_changes_nothing()
    {
        var submitted = await Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "quick", Handler = "echo" });
        var done = await Orchestrator.ForStatus(submitted.Task.Id, OeeTaskStatus.Done);

        var conflict = await Assert.ThrowsAsync<OeeConflictException>(() => Orchestrator.CancelAsync(submitted.Task.Id));
        Assert.Contains("done", conflict.Message);
        Assert.Equal(done, await Orchestrator.GetAsync(submitted.Task.Id));
    }

    [Fact]
    public async Task Submitting_the_same_id_again_returns_the_same_task_and_a_different_request_conflicts()
    {
        var id = Waiting.Unique("idem");
        var request = new SubmitTaskRequest { Id = id, Name = "once", Handler = "echo", Input = "{\"b\": 2, \"a\": 1}" };
        var first = await Orchestrator.SubmitAsync(request);
        var second = await Orchestrator.SubmitAsync(request with { Input = "{\"a\":1,\"b\":2}" });

        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal(first.Task.CreatedAt, second.Task.CreatedAt);
        await Assert.ThrowsAsync<OeeConflictException>(() => Orchestrator.SubmitAsync(request with { Priority = 9 }));

        var done = await Orchestrator.ForStatus(id, OeeTaskStatus.Done);
        Assert.Equal(1, done.Attempt);
    }

    [Fact]
    public async Task Invalid_submits_name_the_field_and_create_nothing()
    {
        var unknown = await Assert.ThrowsAsync<OeeValidationException>(() =>
            Orchestrator.SubmitAsync(new SubmitTaskRequest { Id = Waiting.Unique("bad"), Name = "x", Handler = "no-such-handler" }));
        Assert.Equal("handler", Assert.Single(unknown.Errors).Field);
        Assert.Contains("echo", unknown.Errors[0].Message);

        var badInput = await Assert.ThrowsAsync<OeeValidationException>(() =>
            Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "x", Handler = "delay", Input = "{\"ms\": \"soon\"}" }));
        Assert.Equal("input", Assert.Single(badInput.Errors).Field);

        var id = Waiting.Unique("big");
        var tooBig = await Assert.ThrowsAsync<OeeValidationException>(() =>
            Orchestrator.SubmitAsync(new SubmitTaskRequest { Id = id, Name = "x", Handler = "echo", Input = $"\"{new string('x', ClusterFixture.MaxInputBytes)}\"" }));
        Assert.Equal("input", Assert.Single(tooBig.Errors).Field);
        Assert.Null(await Orchestrator.GetAsync(id));
    }

    [Fact]
    public async Task An_unknown_task_is_null_and_cannot_be_cancelled()
    {
        var id = Waiting.Unique("ghost");
        Assert.Null(await Orchestrator.GetAsync(id));
        var notFound = await Assert.ThrowsAsync<OeeNotFoundException>(() => Orchestrator.CancelAsync(id));
        Assert.Equal("task", notFound.Kind);
    }
}

[Collection(MemoryClusterCollection.Name)]
public sealed class TaskLifecycleTestsOnMemory(MemoryClusterFixture fixture) : TaskLifecycleTests(fixture);

[Collection(PostgresClusterCollection.Name)]
public sealed class TaskLifecycleTestsOnPostgres(PostgresClusterFixture fixture) : TaskLifecycleTests(fixture);
