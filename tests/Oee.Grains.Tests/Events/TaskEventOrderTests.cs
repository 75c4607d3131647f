using Oee.Grains.Client;
using Oee.Grains.Contracts;
using Oee.Grains.Tests.Cluster;

namespace Oee.Grains.Tests.Events;

/// <summary>
/// A task's events over its whole life, as an Orleans client receives them, on both storages: see
/// <see cref="TaskEventOrderTestsOnMemory"/> and <see cref="TaskEventOrderTestsOnPostgres"/>. The
/// cluster has two silos and tasks are placed at random, so a task's events come from both.
/// </summary>
public abstract class TaskEventOrderTests(ClusterFixture fixture)
{
    private IOrchestrator Oee => fixture.Orchestrator;

    private static (OeeTaskStatus? Old, OeeTaskStatus New, string Reason)[] Shape(IEnumerable<TaskEvent> events) =>
        [.. events.Select(e => (e.OldStatus, e.Status, e.Reason))];

    // A scheduled task that comes due while its queue has a free slot starts at once (scheduled ->
    // running); one that must wait is queued first ("due"). Which one depends on the moment.
    private static (OeeTaskStatus New, string Reason)[] Path(IEnumerable<TaskEvent> events) =>
        [.. events.Where(e => e.Reason != "due").Select(e => (e.Status, e.Reason))];

    [Fact]
    public async Task A_task_that_runs_has_submitted_started_succeeded_in_order()
    {
        await using var recorder = EventRecorder.On(fixture.Cluster.Client);
        var id = Waiting.Unique("ev-echo");
        using var subscription = await recorder.Source.SubscribeAsync(TaskEventFilter.ForTask(id));

        await Oee.SubmitAsync(new SubmitTaskRequest { Id = id, Name = "echo", Handler = "echo", Input = "1" });
        var events = await EventRecorder.UntilFinal(subscription);

        Assert.Equal(
            [(null, OeeTaskStatus.Queued, "submitted"), (OeeTaskStatus.Queued, OeeTaskStatus.Running, "started"), (OeeTaskStatus.Running, OeeTaskStatus.Done, "succeeded")],
            Shape(events));
        EventRecorder.AssertChained(events);
        Assert.Equal(1, events[0].Version);
        Assert.All(events, e => Assert.Equal(TaskEventKind.Status, e.Kind));
        Assert.All(events, e => Assert.Equal(id, e.TaskId));
        Assert.Equal([0, 1, 1], events.Select(e => e.Attempt));
        var done = await Oee.GetAsync(id);
        Assert.Equal(done!.Version, events[^1].Version);
        Assert.NotNull(events[1].Silo);
    }

    [Fact]
    public async Task A_delayed_task_is_scheduled_then_runs()
    {
        await using var recorder = EventRecorder.On(fixture.Cluster.Client);
        var id = Waiting.Unique("ev-delay");
        using var subscription = await recorder.Source.SubscribeAsync(TaskEventFilter.ForTask(id));

        await Oee.SubmitAsync(new SubmitTaskRequest { Id = id, Name = "later", Handler = "echo", Delay = TimeSpan.FromMilliseconds(300) });
        var events = await EventRecorder.UntilFinal(subscription);

        Assert.Equal(
            [(OeeTaskStatus.Scheduled, "submitted"), (OeeTaskStatus.Running, "started"), (OeeTaskStatus.Done, "succeeded")],
            Path(events));
        Assert.All(events.Where(e => e.Reason == "due"), e => Assert.Equal((OeeTaskStatus.Scheduled, OeeTaskStatus.Queued), (e.OldStatus!.Value, e.Status)));
        EventRecorder.AssertChained(events);
    }

    [Fact]
    public async Task A_retried_task_shows_each_failure_its_backoff_and_the_last_error()
    {
        await using var recorder = EventRecorder.On(fixture.Cluster.Client);
        var id = Waiting.Unique("ev-retry");
        using var subscription = await recorder.Source.SubscribeAsync(TaskEventFilter.ForTask(id));

        await Oee.SubmitAsync(new SubmitTaskRequest
        {
            Id = id,
            Name = "fails twice",
            Handler = "fail",
            Input = "{\"message\":\"nope\"}",
            MaxAttempts = 2,
            Retry = new RetryPolicy { RetryOn = RetryOn.AllFailures, InitialDelay = TimeSpan.FromMilliseconds(50), Jitter = 0 },
        });
        var events = await EventRecorder.UntilFinal(subscription);

        Assert.Equal(
            [
                (OeeTaskStatus.Queued, "submitted"),
                (OeeTaskStatus.Running, "started"),
                (OeeTaskStatus.Scheduled, "retry-scheduled"),
                (OeeTaskStatus.Running, "started"),
                (OeeTaskStatus.Error, "failed"),
            ],
            Path(events));
        EventRecorder.AssertChained(events);
        var failures = events.Where(e => e.Reason is "retry-scheduled" or "failed").ToList();
        Assert.All(failures, e => Assert.Equal("nope", e.Error?.Message));
        Assert.Equal([1, 2], failures.Select(e => e.Attempt));

        // A manual retry reopens it: its events go on from the version it ended at.
        using var again = await recorder.Source.SubscribeAsync(TaskEventFilter.ForTask(id));
        await Oee.RetryAsync(id);
        var retried = await EventRecorder.Take(again, 2);
        Assert.Equal((OeeTaskStatus.Error, OeeTaskStatus.Queued, "retried"), (retried[0].OldStatus, retried[0].Status, retried[0].Reason));
        Assert.Equal(events[^1].Version + 1, retried[0].Version);
        Assert.Equal("started", retried[1].Reason);
        await Oee.ForStatus(id, OeeTaskStatus.Error);
    }

    [Fact]
    public async Task Cancelling_a_running_task_shows_the_request_then_the_cancellation()
    {
        await using var recorder = EventRecorder.On(fixture.Cluster.Client);
        var id = Waiting.Unique("ev-cancel");
        using var subscription = await recorder.Source.SubscribeAsync(TaskEventFilter.ForTask(id));

        await Oee.SubmitAsync(new SubmitTaskRequest { Id = id, Name = "held", Handler = RecordingHandler.Name, Input = RecordingHandler.HeldBy(BodyGates.New("never")) });
        var running = await EventRecorder.Take(subscription, 2);
        Assert.Equal(OeeTaskStatus.Running, running[^1].Status);
        await Oee.CancelAsync(id);
        var rest = await EventRecorder.UntilFinal(subscription);
        var events = running.Concat(rest).ToList();

        Assert.Equal(
            [
                (null, OeeTaskStatus.Queued, "submitted"),
                (OeeTaskStatus.Queued, OeeTaskStatus.Running, "started"),
                (OeeTaskStatus.Running, OeeTaskStatus.Running, "cancel-requested"),
                (OeeTaskStatus.Running, OeeTaskStatus.Cancelled, "cancelled"),
            ],
            Shape(events));
        Assert.Equal(TaskEventKind.Changed, events[2].Kind);
        EventRecorder.AssertChained(events);
    }

    [Fact]
    public async Task Cancelling_a_queued_task_ends_its_events_at_once()
    {
        await using var recorder = EventRecorder.On(fixture.Cluster.Client);
        var queue = Waiting.Unique("ev-paused");
        await Oee.ConfigureQueueAsync(queue, new QueueSettingsUpdate { Paused = true });
        var id = Waiting.Unique("ev-queued");
        using var subscription = await recorder.Source.SubscribeAsync(TaskEventFilter.ForQueue(queue));

        await Oee.SubmitAsync(new SubmitTaskRequest { Id = id, Name = "waits", Handler = "echo", Queue = queue });
        await Oee.CancelAsync(id);
        var events = await EventRecorder.UntilFinal(subscription);

        Assert.Equal([(null, OeeTaskStatus.Queued, "submitted"), (OeeTaskStatus.Queued, OeeTaskStatus.Cancelled, "cancelled")], Shape(events));
        EventRecorder.AssertChained(events);
    }

    [Fact]
    public async Task Progress_is_kept_on_the_task_and_published_in_order_before_the_end()
    {
        await using var recorder = EventRecorder.On(fixture.Cluster.Client);
        var id = Waiting.Unique("ev-progress");
        using var subscription = await recorder.Source.SubscribeAsync(TaskEventFilter.ForTask(id));

        await Oee.SubmitAsync(new SubmitTaskRequest { Id = id, Name = "steps", Handler = "delay", Input = "{\"ms\":200,\"steps\":4}" });
        var events = await EventRecorder.UntilFinal(subscription);

        EventRecorder.AssertChained(events);
        var progress = events.Where(e => e.Kind == TaskEventKind.Progress).ToList();
        Assert.NotEmpty(progress);
        Assert.All(progress, e => Assert.Equal((OeeTaskStatus.Running, OeeTaskStatus.Running, "progress"), (e.OldStatus, e.Status, e.Reason)));
        Assert.Equal(progress.Select(e => e.Progress!.Percent).Order(), progress.Select(e => e.Progress!.Percent));
        Assert.Equal(100, progress[^1].Progress!.Percent);
        Assert.Equal("step 4 of 4", progress[^1].Progress!.Message);
        Assert.Equal("succeeded", events[^1].Reason);
        Assert.True(events.IndexOf(progress[^1]) == events.Count - 2, EventRecorder.Describe(events));

        var task = await Oee.GetAsync(id);
        Assert.Equal(100, task!.Progress!.Percent);
        Assert.Equal("step 4 of 4", task.Progress.Message);
    }

    [Fact]
    public async Task A_queue_subscription_gets_only_its_queue_and_resumes_after_an_id_with_exactly_the_rest()
    {
        await using var recorder = EventRecorder.On(fixture.Cluster.Client);
        var queue = Waiting.Unique("ev-queue");
        var other = Waiting.Unique("ev-other");
        using var subscription = await recorder.Source.SubscribeAsync(TaskEventFilter.ForQueue(queue));

        var first = await Oee.SubmitAsync(new SubmitTaskRequest { Name = "a", Handler = "echo", Queue = queue });
        var noise = await Oee.SubmitAsync(new SubmitTaskRequest { Name = "n", Handler = "echo", Queue = other });
        var second = await Oee.SubmitAsync(new SubmitTaskRequest { Name = "b", Handler = "echo", Queue = queue });
        var events = await EventRecorder.Take(subscription, 6);
        await Oee.ForStatus(noise.Task.Id, OeeTaskStatus.Done);

        Assert.All(events, e => Assert.Equal(queue, e.Queue));
        Assert.Equal(3, events.Count(e => e.TaskId == first.Task.Id));
        Assert.Equal(3, events.Count(e => e.TaskId == second.Task.Id));
        EventRecorder.AssertChained([.. events.Where(e => e.TaskId == first.Task.Id)]);

        // Resume after the second event: exactly the four after it, in the same order.
        using var resumed = await recorder.Source.SubscribeAsync(TaskEventFilter.ForQueue(queue), events[1].Id);
        Assert.False(resumed.ResumeMissed);
        var replay = await EventRecorder.Take(resumed, 4);
        Assert.Equal(events.Skip(2).Select(e => e.Id), replay.Select(e => e.Id));

        // An id this process never gave is outside the window: said so.
        using var missed = await recorder.Source.SubscribeAsync(TaskEventFilter.ForQueue(queue), recorder.Source.LastEventId + 1_000);
        Assert.True(missed.ResumeMissed);

        // So is an id an earlier run of this node gave (its ids counted from its own start): a reset, never a resume
        // after an unrelated event of this run (before session 24 both runs counted from 1).
        Assert.True(events[0].Id > DateTimeOffset.UtcNow.AddDays(-1).ToUnixTimeMilliseconds() * 1000, $"Event ids should count from this process's start, not from 0 (got {events[0].Id}).");
        using var earlierRun = await recorder.Source.SubscribeAsync(TaskEventFilter.ForQueue(queue), 3);
        Assert.True(earlierRun.ResumeMissed);
        Assert.Equal(0, earlierRun.Replayed);
        Assert.Equal(4, resumed.Replayed);
    }
}

[Collection(MemoryClusterCollection.Name)]
public sealed class TaskEventOrderTestsOnMemory(MemoryClusterFixture fixture) : TaskEventOrderTests(fixture);

[Collection(PostgresClusterCollection.Name)]
public sealed class TaskEventOrderTestsOnPostgres(PostgresClusterFixture fixture) : TaskEventOrderTests(fixture);
