using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Oee.Grains.Client;
using Oee.Grains.Contracts;
using Oee.Grains.Handlers;
using Orleans.TestingHost;

namespace Oee.Grains.Tests.Cluster;

/// <summary>A one-silo memory-mode cluster whose engine runs on a fake clock, for delayed starts and retries.</summary>
public sealed class DelayClockFixture : IAsyncLifetime
{
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2031, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IOrchestrator Orchestrator { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Cluster = await SingleSiloCluster.StartAsync(
            [],
            silo =>
            {
                silo.Services.AddTaskHandler<FlakyHandler>(FlakyHandler.Name);
                silo.Services.AddTaskHandler<RecordingHandler>(RecordingHandler.Name);
            },
            Clock);
        Orchestrator = OrchestratorServiceCollectionExtensions.Create(Cluster.Client, Clock);
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>
/// Delayed starts and retries with backoff on the engine's fake clock: a task is never started
/// before its time, and starts once the clock reaches it. The tests of this class share one clock,
/// so they run one at a time (one class, no parallelism inside it).
/// </summary>
public sealed class DelayAndRetryTests(DelayClockFixture fixture) : IClassFixture<DelayClockFixture>
{
    private FakeTimeProvider Clock => fixture.Clock;

    private IOrchestrator Oee => fixture.Orchestrator;

    [Fact]
    public async Task A_delayed_task_is_scheduled_until_its_time_then_runs()
    {
        var queue = Waiting.Unique("delay");
        var submittedAt = Clock.GetUtcNow();
        var task = (await Oee.SubmitAsync(new SubmitTaskRequest { Name = "later", Handler = FlakyHandler.Name, Queue = queue, Input = FlakyHandler.Failing(0), Delay = TimeSpan.FromMinutes(10) })).Task;

        Assert.Equal(OeeTaskStatus.Scheduled, task.Status);
        Assert.Equal(submittedAt + TimeSpan.FromMinutes(10), task.NextRunAt);
        var status = await Oee.GetQueueAsync(queue);
        Assert.Equal(1, status.Scheduled);
        Assert.Equal(0, status.Pending);
        Assert.Equal(task.NextRunAt, status.NextDueAt);
        var listed = Assert.Single((await Oee.ListAsync(new TaskQuery { Queue = queue, Status = OeeTaskStatus.Scheduled })).Items);
        Assert.Equal(task.NextRunAt, listed.NextRunAt);

        // A second short of its time it has not started, whatever real time passes in between.
        Clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        await Oee.GetQueueAsync(queue);
        Assert.Equal(OeeTaskStatus.Scheduled, (await Oee.GetAsync(task.Id))!.Status);
        Assert.Empty(FlakyHandler.StartsOf(task.Id));

        Clock.Advance(TimeSpan.FromSeconds(1));
        var done = await Oee.ForStatus(task.Id, OeeTaskStatus.Done);
        Assert.Equal(task.NextRunAt, done.StartedAt);
        Assert.Null(done.NextRunAt);
        Assert.Equal(1, done.Attempt);
        Assert.Equal(0, (await Oee.GetQueueAsync(queue)).Scheduled);
    }

    [Fact]
    public async Task A_task_delayed_longer_than_a_timer_takes_in_one_go_waits_its_whole_delay_then_runs()
    {
        // A .NET timer takes at most ~49.7 days in one go; delays go to 365 days (before session 24 such a submit failed).
        var queue = Waiting.Unique("long-delay");
        var task = (await Oee.SubmitAsync(new SubmitTaskRequest { Name = "much later", Handler = FlakyHandler.Name, Queue = queue, Input = FlakyHandler.Failing(0), Delay = TimeSpan.FromDays(100) })).Task;
        Assert.Equal(OeeTaskStatus.Scheduled, task.Status);

        // Past the first step of the queue's wait (49.7 days), and a second short of the delay, it still waits.
        Clock.Advance(TimeSpan.FromDays(60));
        await Oee.GetQueueAsync(queue);
        Clock.Advance(TimeSpan.FromDays(40) - TimeSpan.FromSeconds(1));
        await Oee.GetQueueAsync(queue);
        Assert.Equal(OeeTaskStatus.Scheduled, (await Oee.GetAsync(task.Id))!.Status);
        Assert.Empty(FlakyHandler.StartsOf(task.Id));

        Clock.Advance(TimeSpan.FromSeconds(1));
        var done = await Oee.ForStatus(task.Id, OeeTaskStatus.Done);
        Assert.Equal(task.NextRunAt, done.StartedAt);
    }

    [Fact]
    public async Task Due_tasks_queue_at_their_priority_and_original_sequence()
    {
        var queue = Waiting.Unique("order");
        await Oee.ConfigureQueueAsync(queue, new QueueSettingsUpdate { Paused = true, MaxConcurrency = 1 });
        var at = Clock.GetUtcNow() + TimeSpan.FromMinutes(5);
        var early = (await Oee.SubmitAsync(Recorded(queue, "early", priority: 5) with { RunAt = at })).Task;
        var plain = (await Oee.SubmitAsync(Recorded(queue, "plain", priority: 5))).Task;
        var urgent = (await Oee.SubmitAsync(Recorded(queue, "urgent", priority: 9) with { RunAt = at })).Task;
        var lateLow = (await Oee.SubmitAsync(Recorded(queue, "late-low", priority: 1) with { RunAt = at })).Task;
        Assert.True(early.Sequence < plain.Sequence && plain.Sequence < urgent.Sequence);

        Clock.Advance(TimeSpan.FromMinutes(5));
        await Oee.ForAll([early.Id, urgent.Id, lateLow.Id], t => t.Status == OeeTaskStatus.Queued && t.NextRunAt is null);
        Assert.Equal(4, (await Oee.GetQueueAsync(queue)).Pending);

        await Oee.ConfigureQueueAsync(queue, new QueueSettingsUpdate { Paused = false });
        await Oee.ForAllFinished([early.Id, plain.Id, urgent.Id, lateLow.Id]);
        Assert.Equal([urgent.Id, early.Id, plain.Id, lateLow.Id], RecordingHandler.StartsOf(queue));
    }

    [Fact]
    public async Task A_scheduled_task_cancels_at_once_and_never_runs()
    {
        var queue = Waiting.Unique("cancel");
        var task = (await Oee.SubmitAsync(new SubmitTaskRequest { Name = "c", Handler = FlakyHandler.Name, Queue = queue, Input = FlakyHandler.Failing(0), Delay = TimeSpan.FromMinutes(1) })).Task;

        var cancelled = await Oee.CancelAsync(task.Id);
        Assert.Equal(CancelStatus.Cancelled, cancelled.Status);
        Assert.Equal(OeeTaskStatus.Cancelled, cancelled.Task!.Status);
        Assert.Null(cancelled.Task.NextRunAt);
        Assert.Equal(0, (await Oee.GetQueueAsync(queue)).Scheduled);

        Clock.Advance(TimeSpan.FromMinutes(2));
        var after = await Oee.GetAsync(task.Id);
        Assert.Equal(OeeTaskStatus.Cancelled, after!.Status);
        Assert.Equal(0, after.Attempt);
    }

    [Fact]
    public async Task A_run_at_in_the_past_runs_now_and_bad_times_are_refused()
    {
        var task = (await Oee.SubmitAsync(new SubmitTaskRequest { Name = "past", Handler = FlakyHandler.Name, Input = FlakyHandler.Failing(0), RunAt = Clock.GetUtcNow() - TimeSpan.FromDays(3) })).Task;
        Assert.Equal(OeeTaskStatus.Queued, task.Status);
        Assert.Null(task.NextRunAt);
        await Oee.ForStatus(task.Id, OeeTaskStatus.Done);

        var both = await Assert.ThrowsAsync<OeeValidationException>(() => Oee.SubmitAsync(new SubmitTaskRequest { Name = "x", Handler = "echo", RunAt = Clock.GetUtcNow(), Delay = TimeSpan.FromSeconds(1) }));
        Assert.Equal("runAt", Assert.Single(both.Errors).Field);
        var far = await Assert.ThrowsAsync<OeeValidationException>(() => Oee.SubmitAsync(new SubmitTaskRequest { Name = "x", Handler = "echo", RunAt = Clock.GetUtcNow() + TimeSpan.FromDays(366) }));
        Assert.Equal("runAt", Assert.Single(far.Errors).Field);
        var negative = await Assert.ThrowsAsync<OeeValidationException>(() => Oee.SubmitAsync(new SubmitTaskRequest { Name = "x", Handler = "echo", Delay = TimeSpan.FromSeconds(-1) }));
        Assert.Equal("delay", Assert.Single(negative.Errors).Field);
    }

    [Fact]
    public async Task A_retry_with_no_backoff_runs_at_once_and_frees_its_queue_s_slot_for_the_task_behind_it()
    {
        // A queue of one: the failing task's retry is due as its attempt ends, and the engine clock stands still here, so
        // no lease check ever comes: each retry must be started by its queue's dispatch alone. (The race this guards —
        // that dispatch reaching the task before its attempt let go, and dropped, so that the task held the queue's slot
        // until a lease check — showed through the embedded API in session 24: the task behind it done after 10.4 s
        // without the fix, 0.5 s with it; this one-silo cluster's message order does not produce it.)
        var queue = Waiting.Unique("zero-backoff");
        await Oee.ConfigureQueueAsync(queue, new QueueSettingsUpdate { MaxConcurrency = 1 });
        var policy = new RetryPolicy { RetryOn = RetryOn.AllFailures, InitialDelay = TimeSpan.Zero, Jitter = 0 };
        var flaky = (await Oee.SubmitAsync(new SubmitTaskRequest { Name = "flaky", Handler = FlakyHandler.Name, Queue = queue, Input = FlakyHandler.Failing(2), MaxAttempts = 3, Retry = policy })).Task;
        var done = await Oee.ForStatus(flaky.Id, OeeTaskStatus.Done);
        var behind = (await Oee.SubmitAsync(new SubmitTaskRequest { Name = "behind", Handler = FlakyHandler.Name, Queue = queue, Input = FlakyHandler.Failing(0) })).Task;

        Assert.Equal(3, done.Attempt);
        Assert.Equal(1, (await Oee.ForStatus(behind.Id, OeeTaskStatus.Done)).Attempt);
        Assert.Equal([1, 2, 3], FlakyHandler.StartsOf(flaky.Id).Select(s => s.Attempt));
        var status = await Oee.GetQueueAsync(queue);
        Assert.Equal((0, 0, 0), (status.Running, status.Pending, status.Scheduled));
    }

    [Fact]
    public async Task Failed_attempts_wait_their_backoff_then_run_again_until_done()
    {
        var policy = new RetryPolicy { InitialDelay = TimeSpan.FromSeconds(10), Multiplier = 3, MaxDelay = TimeSpan.FromMinutes(1), Jitter = 0 };
        var task = (await Oee.SubmitAsync(new SubmitTaskRequest { Name = "flaky", Handler = FlakyHandler.Name, Input = FlakyHandler.Failing(2), MaxAttempts = 3, Retry = policy })).Task;

        var first = await Oee.ForTask(task.Id, t => t.Status == OeeTaskStatus.Scheduled && t.Attempt == 1);
        var failedAt = FlakyHandler.StartsOf(task.Id)[0].At;
        Assert.Equal(failedAt + TimeSpan.FromSeconds(10), first.NextRunAt);
        Assert.Equal(typeof(InvalidOperationException).FullName, first.Error!.Type);
        Assert.Null(first.CompletedAt);

        Clock.Advance(TimeSpan.FromSeconds(10));
        var second = await Oee.ForTask(task.Id, t => t.Status == OeeTaskStatus.Scheduled && t.Attempt == 2);
        Assert.Equal(failedAt + TimeSpan.FromSeconds(10 + 30), second.NextRunAt);

        Clock.Advance(TimeSpan.FromSeconds(29));
        await Oee.GetQueueAsync(task.Queue);
        Assert.Equal(2, FlakyHandler.StartsOf(task.Id).Count);

        Clock.Advance(TimeSpan.FromSeconds(1));
        var done = await Oee.ForStatus(task.Id, OeeTaskStatus.Done);
        Assert.Equal(3, done.Attempt);
        Assert.Equal("3", done.Result);
        Assert.False(done.DeadLettered);
        Assert.Equal(
            [(1, failedAt), (2, failedAt + TimeSpan.FromSeconds(10)), (3, failedAt + TimeSpan.FromSeconds(40))],
            FlakyHandler.StartsOf(task.Id));
    }

    [Fact]
    public async Task Jittered_backoff_stays_within_its_bounds()
    {
        var policy = new RetryPolicy { InitialDelay = TimeSpan.FromMinutes(1), Multiplier = 2, Jitter = 0.5 };
        var tasks = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            tasks.Add((await Oee.SubmitAsync(new SubmitTaskRequest { Name = "j", Handler = FlakyHandler.Name, Input = FlakyHandler.Failing(5), MaxAttempts = 2, Retry = policy })).Task.Id);
        }

        foreach (var scheduled in await Oee.ForAll(tasks, t => t.Status == OeeTaskStatus.Scheduled))
        {
            var failedAt = FlakyHandler.StartsOf(scheduled.Id)[0].At;
            Assert.InRange(scheduled.NextRunAt!.Value - failedAt, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1));
        }

        Clock.Advance(TimeSpan.FromMinutes(1));
        var ended = await Oee.ForAllFinished(tasks);
        Assert.All(ended, t => Assert.True(t.DeadLettered && t.Status == OeeTaskStatus.Error && t.Attempt == 2));
    }

    [Fact]
    public async Task Used_up_attempts_dead_letter_the_task_and_a_manual_retry_gives_it_a_fresh_budget()
    {
        var queue = Waiting.Unique("dead");
        var policy = new RetryPolicy { InitialDelay = TimeSpan.FromSeconds(5), Jitter = 0 };
        var task = (await Oee.SubmitAsync(new SubmitTaskRequest { Name = "d", Handler = FlakyHandler.Name, Queue = queue, Input = FlakyHandler.Failing(3), MaxAttempts = 2, Retry = policy })).Task;
        await Oee.ForTask(task.Id, t => t.Status == OeeTaskStatus.Scheduled);
        Clock.Advance(TimeSpan.FromSeconds(5));
        var dead = await Oee.ForStatus(task.Id, OeeTaskStatus.Error);
        Assert.True(dead.DeadLettered);
        Assert.Equal(2, dead.Attempt);

        var listed = await Oee.ListAsync(new TaskQuery { Queue = queue, DeadLettered = true });
        Assert.Equal([task.Id], listed.Items.Select(t => t.Id));
        Assert.True(listed.Items[0].DeadLettered);
        Assert.Empty((await Oee.ListAsync(new TaskQuery { Queue = queue, DeadLettered = false })).Items);

        // A manual retry: same id, attempts 3 and 4 (a fresh budget of two), the flag cleared.
        var retried = await Oee.RetryAsync(task.Id);
        Assert.Equal(OeeTaskStatus.Queued, retried.Status);
        Assert.False(retried.DeadLettered);
        Assert.Equal(2, retried.Attempt);
        Assert.Empty((await Oee.ListAsync(new TaskQuery { Queue = queue, DeadLettered = true })).Items);

        await Oee.ForTask(task.Id, t => t.Status == OeeTaskStatus.Scheduled && t.Attempt == 3);
        Clock.Advance(TimeSpan.FromSeconds(5));
        var done = await Oee.ForStatus(task.Id, OeeTaskStatus.Done);
        Assert.Equal(4, done.Attempt);
        Assert.Equal([1, 2, 3, 4], FlakyHandler.StartsOf(task.Id).Select(s => s.Attempt));

        // Done: no retry (409), nor of an unknown task (404).
        await Assert.ThrowsAsync<OeeConflictException>(() => Oee.RetryAsync(task.Id));
        await Assert.ThrowsAsync<OeeNotFoundException>(() => Oee.RetryAsync(Waiting.Unique("nobody")));
    }

    [Fact]
    public async Task A_permanent_failure_is_not_retried_by_default_and_a_cancelled_task_can_be_retried()
    {
        var permanent = (await Oee.SubmitAsync(new SubmitTaskRequest { Name = "p", Handler = FlakyHandler.Name, Input = FlakyHandler.Failing(1, permanent: true), MaxAttempts = 5, Retry = new RetryPolicy() })).Task;
        var failed = await Oee.ForStatus(permanent.Id, OeeTaskStatus.Error);
        Assert.Equal(1, failed.Attempt);
        Assert.False(failed.DeadLettered);
        Assert.Equal(typeof(TaskBodyFailedException).FullName, failed.Error!.Type);

        var delayed = (await Oee.SubmitAsync(new SubmitTaskRequest { Name = "c", Handler = FlakyHandler.Name, Input = FlakyHandler.Failing(0), Delay = TimeSpan.FromHours(1) })).Task;
        await Oee.CancelAsync(delayed.Id);
        var retried = await Oee.RetryAsync(delayed.Id);
        Assert.Equal(OeeTaskStatus.Queued, retried.Status);
        var done = await Oee.ForStatus(delayed.Id, OeeTaskStatus.Done);
        Assert.Equal(1, done.Attempt);
    }

    [Fact]
    public async Task A_queue_default_policy_applies_to_tasks_submitted_without_their_own()
    {
        var queue = Waiting.Unique("defaults");
        var policy = new RetryPolicy { RetryOn = RetryOn.AllFailures, InitialDelay = TimeSpan.FromSeconds(3), Jitter = 0 };
        var status = await Oee.ConfigureQueueAsync(queue, new QueueSettingsUpdate { Retry = policy, MaxAttempts = 4 });
        Assert.Equal(policy.Resolved(), status.Retry);
        Assert.Equal(4, status.MaxAttempts);

        var task = (await Oee.SubmitAsync(new SubmitTaskRequest { Name = "q", Handler = FlakyHandler.Name, Queue = queue, Input = FlakyHandler.Failing(1, permanent: true) })).Task;
        Assert.Equal(policy.Resolved(), task.Retry);
        Assert.Equal(4, task.MaxAttempts);
        var own = (await Oee.SubmitAsync(new SubmitTaskRequest { Name = "own", Handler = "echo", Queue = queue, Input = "1", MaxAttempts = 1, Retry = new RetryPolicy { RetryOn = RetryOn.None } })).Task;
        Assert.Null(own.Retry);
        Assert.Equal(1, own.MaxAttempts);

        // RetryOn all retries even the permanent failure.
        await Oee.ForTask(task.Id, t => t.Status == OeeTaskStatus.Scheduled);
        Clock.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(2, (await Oee.ForStatus(task.Id, OeeTaskStatus.Done)).Attempt);

        // {"retryOn": "none"} removes the default.
        Assert.Null((await Oee.ConfigureQueueAsync(queue, new QueueSettingsUpdate { Retry = new RetryPolicy { RetryOn = RetryOn.None } })).Retry);
        var bad = await Assert.ThrowsAsync<OeeValidationException>(() => Oee.ConfigureQueueAsync(queue, new QueueSettingsUpdate { Retry = new RetryPolicy { Jitter = 2 }, MaxAttempts = 0 }));
        Assert.Equal(["retry.jitter", "maxAttempts"], bad.Errors.Select(e => e.Field));
    }

    private static SubmitTaskRequest Recorded(string queue, string name, int priority) =>
        new() { Name = name, Handler = RecordingHandler.Name, Queue = queue, Priority = priority, Input = RecordingHandler.Instant };
}
