using Oee.Grains.Contracts;
using Oee.Grains.Tasks;
using Oee.Grains.Workers;

namespace Oee.Grains.Tests.Tasks;

public sealed class TaskStateMachineTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    internal static TaskRecord Queued() => new()
    {
        Id = "t1",
        Name = "n",
        Handler = "echo",
        Queue = "q",
        Priority = 5,
        Status = OeeTaskStatus.Queued,
        CreatedAt = Now.AddMinutes(-1),
        Version = 1,
    };

    private static TaskRecord Running(bool cancelRequested = false) =>
        TaskStateMachine.Apply(Queued(), new TaskCommand.Start("silo-a"), Now).Task with { CancelRequested = cancelRequested };

    private static TaskRecord WithStatus(OeeTaskStatus status) => Running() with { Status = status, CompletedAt = Now };

    [Fact]
    public void Start_of_a_queued_task_runs_attempt_one_on_the_silo()
    {
        var transition = TaskStateMachine.Apply(Queued(), new TaskCommand.Start("silo-a"), Now);

        Assert.Equal(TransitionKind.Applied, transition.Kind);
        Assert.Equal(OeeTaskStatus.Running, transition.Task.Status);
        Assert.Equal(1, transition.Task.Attempt);
        Assert.Equal(Now, transition.Task.StartedAt);
        Assert.Equal("silo-a", transition.Task.Silo);
        Assert.Equal(2, transition.Task.Version);
        Assert.Equal(TaskEffects.RunBody, transition.Effects);
    }

    [Fact]
    public void Repeated_start_of_a_running_task_changes_nothing()
    {
        var running = Running();
        var transition = TaskStateMachine.Apply(running, new TaskCommand.Start("silo-b"), Now);

        Assert.Equal(TransitionKind.Unchanged, transition.Kind);
        Assert.Same(running, transition.Task);
    }

    [Theory]
    [InlineData(OeeTaskStatus.Done)]
    [InlineData(OeeTaskStatus.Error)]
    [InlineData(OeeTaskStatus.Cancelled)]
    public void Start_of_a_finished_task_is_refused_and_leaves_it_unchanged(OeeTaskStatus status)
    {
        var finished = WithStatus(status);
        var transition = TaskStateMachine.Apply(finished, new TaskCommand.Start("silo-a"), Now);

        Assert.Equal(TransitionKind.Refused, transition.Kind);
        Assert.Same(finished, transition.Task);
        Assert.Contains(status.ToWireName(), transition.Reason);
    }

    [Fact]
    public void Success_of_the_current_attempt_makes_it_done_with_the_result()
    {
        var transition = TaskStateMachine.Apply(Running(), new TaskCommand.Complete(1, TaskOutcome.Succeeded("{\"x\":1}")), Now);

        Assert.Equal(OeeTaskStatus.Done, transition.Task.Status);
        Assert.Equal("{\"x\":1}", transition.Task.Result);
        Assert.Equal(Now, transition.Task.CompletedAt);
        Assert.Equal(TaskEffects.LeaveQueue, transition.Effects);
    }

    [Fact]
    public void Failure_makes_it_error_with_message_and_type()
    {
        var error = new TaskError("boom", "System.InvalidOperationException");
        var transition = TaskStateMachine.Apply(Running(), new TaskCommand.Complete(1, TaskOutcome.Failed(error)), Now);

        Assert.Equal(OeeTaskStatus.Error, transition.Task.Status);
        Assert.Equal(error, transition.Task.Error);
        Assert.Null(transition.Task.Result);
    }

    [Fact]
    public void A_body_cancelled_without_a_request_is_an_error()
    {
        var transition = TaskStateMachine.Apply(Running(), new TaskCommand.Complete(1, TaskOutcome.Cancelled()), Now);

        Assert.Equal(OeeTaskStatus.Error, transition.Task.Status);
        Assert.Equal(typeof(OperationCanceledException).FullName, transition.Task.Error!.Type);
    }

    [Theory]
    [InlineData((int)TaskOutcomeKind.Succeeded)]
    [InlineData((int)TaskOutcomeKind.Failed)]
    [InlineData((int)TaskOutcomeKind.Cancelled)]
    public void Any_end_of_a_body_after_a_cancel_request_is_cancelled(int kindValue)
    {
        var kind = (TaskOutcomeKind)kindValue;
        var outcome = new TaskOutcome { Kind = kind, Error = kind == TaskOutcomeKind.Failed ? new TaskError("x", "y") : null };
        var transition = TaskStateMachine.Apply(Running(cancelRequested: true), new TaskCommand.Complete(1, outcome), Now);

        Assert.Equal(OeeTaskStatus.Cancelled, transition.Task.Status);
        Assert.Equal(Now, transition.Task.CompletedAt);
    }

    [Fact]
    public void A_late_result_from_an_older_attempt_is_ignored()
    {
        var secondAttempt = Running() with { Attempt = 2 };
        var transition = TaskStateMachine.Apply(secondAttempt, new TaskCommand.Complete(1, TaskOutcome.Succeeded("old")), Now);

        Assert.Equal(TransitionKind.Unchanged, transition.Kind);
        Assert.Equal(OeeTaskStatus.Running, transition.Task.Status);
    }

    [Fact]
    public void A_repeated_result_after_done_changes_nothing()
    {
        var done = TaskStateMachine.Apply(Running(), new TaskCommand.Complete(1, TaskOutcome.Succeeded("a")), Now).Task;
        var transition = TaskStateMachine.Apply(done, new TaskCommand.Complete(1, TaskOutcome.Failed(new TaskError("b", "c"))), Now);

        Assert.Equal(TransitionKind.Unchanged, transition.Kind);
        Assert.Equal(OeeTaskStatus.Done, transition.Task.Status);
        Assert.Equal("a", transition.Task.Result);
    }

    [Fact]
    public void Completing_a_queued_task_is_refused()
    {
        var transition = TaskStateMachine.Apply(Queued(), new TaskCommand.Complete(0, TaskOutcome.Succeeded(null)), Now);

        Assert.Equal(TransitionKind.Refused, transition.Kind);
        Assert.Equal(OeeTaskStatus.Queued, transition.Task.Status);
    }

    [Fact]
    public void Cancel_of_a_queued_task_cancels_it_at_once_and_leaves_the_queue()
    {
        var transition = TaskStateMachine.Apply(Queued(), new TaskCommand.Cancel(), Now);

        Assert.Equal(OeeTaskStatus.Cancelled, transition.Task.Status);
        Assert.Equal(Now, transition.Task.CompletedAt);
        Assert.Equal(TaskEffects.LeaveQueue | TaskEffects.CancelChildren, transition.Effects);
    }

    [Fact]
    public void Cancel_of_a_running_task_requests_cancellation_and_keeps_it_running()
    {
        var transition = TaskStateMachine.Apply(Running(), new TaskCommand.Cancel(), Now);

        Assert.Equal(OeeTaskStatus.Running, transition.Task.Status);
        Assert.True(transition.Task.CancelRequested);
        Assert.Equal(TaskEffects.SignalCancellation | TaskEffects.CancelChildren, transition.Effects);
    }

    [Fact]
    public void Repeated_cancel_is_harmless()
    {
        Assert.Equal(TransitionKind.Unchanged, TaskStateMachine.Apply(Running(cancelRequested: true), new TaskCommand.Cancel(), Now).Kind);
        Assert.Equal(TransitionKind.Unchanged, TaskStateMachine.Apply(WithStatus(OeeTaskStatus.Cancelled), new TaskCommand.Cancel(), Now).Kind);
    }

    [Theory]
    [InlineData(OeeTaskStatus.Done)]
    [InlineData(OeeTaskStatus.Error)]
    public void Cancel_of_a_done_or_failed_task_is_refused(OeeTaskStatus status)
    {
        var finished = WithStatus(status);
        var transition = TaskStateMachine.Apply(finished, new TaskCommand.Cancel(), Now);

        Assert.Equal(TransitionKind.Refused, transition.Kind);
        Assert.Same(finished, transition.Task);
    }

    [Fact]
    public void A_drained_attempt_goes_back_to_the_queue_and_the_next_start_is_the_next_attempt()
    {
        var requeued = TaskStateMachine.Apply(Running(), new TaskCommand.Requeue(1), Now);

        Assert.Equal(TransitionKind.Applied, requeued.Kind);
        Assert.Equal(OeeTaskStatus.Queued, requeued.Task.Status);
        Assert.Equal(TaskEffects.ReturnToQueue, requeued.Effects);
        Assert.Equal(2, TaskStateMachine.Apply(requeued.Task, new TaskCommand.Start("silo-b"), Now).Task.Attempt);
    }

    [Fact]
    public void An_attempt_whose_body_never_started_goes_back_uncounted_and_the_next_start_is_the_same_attempt()
    {
        var requeued = TaskStateMachine.Apply(Running(), new TaskCommand.Requeue(1, BodyRan: false), Now);

        Assert.Equal(TransitionKind.Applied, requeued.Kind);
        Assert.Equal(OeeTaskStatus.Queued, requeued.Task.Status);
        Assert.Equal(0, requeued.Task.Attempt);
        Assert.Null(requeued.Task.Silo);
        Assert.Null(requeued.Task.StartedAt);
        Assert.Equal(TaskEffects.ReturnToQueue, requeued.Effects);

        var restarted = TaskStateMachine.Apply(requeued.Task, new TaskCommand.Start("silo-b"), Now);
        Assert.Equal(1, restarted.Task.Attempt);
        Assert.Equal("silo-b", restarted.Task.Silo);
    }

    [Fact]
    public void A_hand_back_of_an_older_attempt_changes_nothing()
    {
        var running = Running();

        var transition = TaskStateMachine.Apply(running, new TaskCommand.Requeue(running.Attempt + 1, BodyRan: false), Now);

        Assert.Equal(TransitionKind.Unchanged, transition.Kind);
        Assert.Same(running, transition.Task);
    }

    [Fact]
    public void A_retried_start_after_a_new_queueing_counts_the_next_attempt()
    {
        var requeued = Running() with { Status = OeeTaskStatus.Queued };
        var transition = TaskStateMachine.Apply(requeued, new TaskCommand.Start("silo-b"), Now);

        Assert.Equal(2, transition.Task.Attempt);
        Assert.Equal("silo-b", transition.Task.Silo);
    }
}
