using Oee.Grains.Contracts;
using Oee.Grains.Handlers;
using Oee.Grains.Tasks;
using Oee.Grains.Workers;

namespace Oee.Grains.Tests.Tasks;

/// <summary>The state machine's rules for scheduled tasks, retries with backoff, dead letters and manual retries.</summary>
public sealed class TaskStateMachineRetryTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private static readonly RetryPolicy NoJitter = new()
    {
        RetryOn = RetryOn.Transient,
        InitialDelay = TimeSpan.FromSeconds(2),
        Multiplier = 3,
        MaxDelay = TimeSpan.FromSeconds(30),
        Jitter = 0,
    };

    private static TaskRecord Scheduled(DateTimeOffset dueAt) => TaskStateMachineTests.Queued() with { Status = OeeTaskStatus.Scheduled, NextRunAt = dueAt };

    private static TaskRecord Running(RetryPolicy? retry, int maxAttempts, int attempt = 1, int attemptsBeforeRetry = 0) =>
        TaskStateMachineTests.Queued() with
        {
            Status = OeeTaskStatus.Running,
            Attempt = attempt,
            AttemptsBeforeRetry = attemptsBeforeRetry,
            MaxAttempts = maxAttempts,
            Retry = retry,
            StartedAt = Now.AddSeconds(-1),
            Silo = "silo-a",
        };

    private static TaskCommand.Complete Failed(int attempt, string type = "System.InvalidOperationException", double sample = 0) =>
        new(attempt, TaskOutcome.Failed(new TaskError("boom", type)), sample);

    [Fact]
    public void A_scheduled_task_starts_as_a_new_attempt_and_loses_its_due_time()
    {
        var transition = TaskStateMachine.Apply(Scheduled(Now), new TaskCommand.Start("silo-a"), Now);

        Assert.Equal(TransitionKind.Applied, transition.Kind);
        Assert.Equal(OeeTaskStatus.Running, transition.Task.Status);
        Assert.Equal(1, transition.Task.Attempt);
        Assert.Null(transition.Task.NextRunAt);
        Assert.Equal(TaskEffects.RunBody, transition.Effects);
    }

    [Fact]
    public void Due_makes_a_scheduled_task_queued_and_is_harmless_otherwise()
    {
        var due = TaskStateMachine.Apply(Scheduled(Now), new TaskCommand.Due(), Now);
        Assert.Equal(TransitionKind.Applied, due.Kind);
        Assert.Equal(OeeTaskStatus.Queued, due.Task.Status);
        Assert.Null(due.Task.NextRunAt);
        Assert.Equal(TaskEffects.None, due.Effects);

        Assert.Equal(TransitionKind.Unchanged, TaskStateMachine.Apply(due.Task, new TaskCommand.Due(), Now).Kind);
        Assert.Equal(TransitionKind.Unchanged, TaskStateMachine.Apply(Running(null, 3), new TaskCommand.Due(), Now).Kind);
    }

    [Fact]
    public void Cancel_of_a_scheduled_task_cancels_it_at_once_and_leaves_the_queue()
    {
        var transition = TaskStateMachine.Apply(Scheduled(Now.AddHours(1)), new TaskCommand.Cancel(), Now);

        Assert.Equal(OeeTaskStatus.Cancelled, transition.Task.Status);
        Assert.Equal(Now, transition.Task.CompletedAt);
        Assert.Null(transition.Task.NextRunAt);
        Assert.Equal(TaskEffects.LeaveQueue | TaskEffects.CancelChildren, transition.Effects);
    }

    [Fact]
    public void A_scheduled_task_cannot_complete()
    {
        Assert.Equal(TransitionKind.Refused, TaskStateMachine.Apply(Scheduled(Now), Failed(1), Now).Kind);
    }

    [Fact]
    public void Without_a_policy_a_failure_ends_the_task_at_once_and_is_not_dead_lettered()
    {
        var transition = TaskStateMachine.Apply(Running(retry: null, maxAttempts: 3), Failed(1), Now);

        Assert.Equal(OeeTaskStatus.Error, transition.Task.Status);
        Assert.False(transition.Task.DeadLettered);
        Assert.Equal(TaskEffects.LeaveQueue, transition.Effects);
    }

    [Fact]
    public void A_retryable_failure_with_attempts_left_schedules_the_next_attempt_after_the_backoff()
    {
        var first = TaskStateMachine.Apply(Running(NoJitter, maxAttempts: 3, attempt: 1), Failed(1), Now);
        Assert.Equal(OeeTaskStatus.Scheduled, first.Task.Status);
        Assert.Equal(Now + TimeSpan.FromSeconds(2), first.Task.NextRunAt);
        Assert.Equal("boom", first.Task.Error!.Message);
        Assert.Null(first.Task.CompletedAt);
        Assert.Equal(TaskEffects.Schedule, first.Effects);

        // The second failure waits initial × multiplier.
        var second = TaskStateMachine.Apply(Running(NoJitter, maxAttempts: 3, attempt: 2), Failed(2), Now);
        Assert.Equal(Now + TimeSpan.FromSeconds(6), second.Task.NextRunAt);
    }

    [Fact]
    public void The_last_attempt_failing_ends_error_and_dead_lettered()
    {
        var transition = TaskStateMachine.Apply(Running(NoJitter, maxAttempts: 3, attempt: 3), Failed(3), Now);

        Assert.Equal(OeeTaskStatus.Error, transition.Task.Status);
        Assert.True(transition.Task.DeadLettered);
        Assert.Equal(Now, transition.Task.CompletedAt);
        Assert.Equal(TaskEffects.LeaveQueue, transition.Effects);
    }

    [Fact]
    public void A_permanent_failure_is_not_retried_under_transient_but_is_under_all()
    {
        var permanent = typeof(TaskBodyFailedException).FullName!;
        var transient = TaskStateMachine.Apply(Running(NoJitter, maxAttempts: 3), Failed(1, permanent), Now);
        Assert.Equal(OeeTaskStatus.Error, transient.Task.Status);
        Assert.False(transient.Task.DeadLettered);

        var all = TaskStateMachine.Apply(Running(NoJitter with { RetryOn = RetryOn.AllFailures }, maxAttempts: 3), Failed(1, permanent), Now);
        Assert.Equal(OeeTaskStatus.Scheduled, all.Task.Status);
    }

    [Fact]
    public void A_timeout_is_retried_like_any_transient_failure()
    {
        var transition = TaskStateMachine.Apply(Running(NoJitter, maxAttempts: 2), Failed(1, "Timeout"), Now);
        Assert.Equal(OeeTaskStatus.Scheduled, transition.Task.Status);
    }

    [Fact]
    public void A_failure_reported_after_a_cancel_request_ends_cancelled_not_retried()
    {
        var transition = TaskStateMachine.Apply(Running(NoJitter, maxAttempts: 3) with { CancelRequested = true }, Failed(1), Now);
        Assert.Equal(OeeTaskStatus.Cancelled, transition.Task.Status);
    }

    [Fact]
    public void A_lost_last_attempt_ends_error_dead_lettered()
    {
        var transition = TaskStateMachine.Apply(Running(null, maxAttempts: 2, attempt: 2), new TaskCommand.Start("silo-b", RecoverLostAttempt: true), Now);

        Assert.Equal(OeeTaskStatus.Error, transition.Task.Status);
        Assert.Equal("AttemptLost", transition.Task.Error!.Type);
        Assert.True(transition.Task.DeadLettered);
    }

    [Theory]
    [InlineData(OeeTaskStatus.Error)]
    [InlineData(OeeTaskStatus.Cancelled)]
    public void Manual_retry_queues_a_failed_or_cancelled_task_with_a_fresh_budget(OeeTaskStatus status)
    {
        var ended = Running(NoJitter, maxAttempts: 3, attempt: 3) with
        {
            Status = status,
            CompletedAt = Now,
            DeadLettered = status == OeeTaskStatus.Error,
            Error = new TaskError("boom", "X"),
            CancelRequested = status == OeeTaskStatus.Cancelled,
        };

        var transition = TaskStateMachine.Apply(ended, new TaskCommand.Retry(), Now);

        Assert.Equal(TransitionKind.Applied, transition.Kind);
        Assert.Equal(OeeTaskStatus.Queued, transition.Task.Status);
        Assert.Equal(3, transition.Task.Attempt);
        Assert.Equal(3, transition.Task.AttemptsBeforeRetry);
        Assert.False(transition.Task.DeadLettered);
        Assert.False(transition.Task.CancelRequested);
        Assert.Null(transition.Task.CompletedAt);
        Assert.Null(transition.Task.Error);
        Assert.Equal(TaskEffects.Reenqueue, transition.Effects);

        // The next start is attempt 4, and this run may use attempts 4–6.
        var started = TaskStateMachine.Apply(transition.Task, new TaskCommand.Start("silo-a"), Now).Task;
        Assert.Equal(4, started.Attempt);
        Assert.False(started.AttemptsUsedUp);
        var firstFailure = TaskStateMachine.Apply(started, Failed(4), Now).Task;
        Assert.Equal(OeeTaskStatus.Scheduled, firstFailure.Status);
        Assert.Equal(Now + TimeSpan.FromSeconds(2), firstFailure.NextRunAt);
        Assert.True((started with { Attempt = 6 }).AttemptsUsedUp);
    }

    [Theory]
    [InlineData(OeeTaskStatus.Queued)]
    [InlineData(OeeTaskStatus.Scheduled)]
    [InlineData(OeeTaskStatus.Running)]
    [InlineData(OeeTaskStatus.Done)]
    public void Manual_retry_is_refused_unless_the_task_ended_error_or_cancelled(OeeTaskStatus status)
    {
        var task = Running(NoJitter, maxAttempts: 3) with { Status = status };
        var transition = TaskStateMachine.Apply(task, new TaskCommand.Retry(), Now);

        Assert.Equal(TransitionKind.Refused, transition.Kind);
        Assert.Contains(status.ToWireName(), transition.Reason, StringComparison.Ordinal);
        Assert.Same(task, transition.Task);
    }
}
