using Oee.Grains.Contracts;
using Oee.Grains.Tasks;
using Oee.Grains.Workers;

namespace Oee.Grains.Tests.Tasks;

/// <summary>The dependency rules of the state machine (<see cref="TaskDependencies"/>), through <see cref="TaskStateMachine.Apply"/>.</summary>
public sealed class TaskDependenciesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static TaskRecord Waiting(bool runOnFailure = false, params string[] pending) => TaskStateMachineTests.Queued() with
    {
        Status = OeeTaskStatus.Waiting,
        DependsOn = pending,
        PendingDependencies = pending,
        RunOnDependencyFailure = runOnFailure,
    };

    private static TaskTransition Finished(TaskRecord task, string dependency, OeeTaskStatus? status) =>
        TaskStateMachine.Apply(task, new TaskCommand.DependencyFinished(dependency, status), Now);

    [Fact]
    public void A_done_dependency_leaves_the_pending_list_and_the_task_keeps_waiting_for_the_others()
    {
        var transition = Finished(Waiting(false, "a", "b"), "a", OeeTaskStatus.Done);

        Assert.Equal(TransitionKind.Applied, transition.Kind);
        Assert.Equal(OeeTaskStatus.Waiting, transition.Task.Status);
        Assert.Equal(["b"], transition.Task.PendingDependencies);
        Assert.Equal(["a", "b"], transition.Task.DependsOn);
        Assert.Equal(TaskEffects.None, transition.Effects);
        Assert.Equal(2, transition.Task.Version);
    }

    [Fact]
    public void The_last_done_dependency_queues_the_task_and_asks_for_its_enqueue()
    {
        var transition = Finished(Waiting(false, "a"), "a", OeeTaskStatus.Done);

        Assert.Equal(OeeTaskStatus.Queued, transition.Task.Status);
        Assert.Empty(transition.Task.PendingDependencies);
        Assert.Equal(TaskEffects.Enqueue, transition.Effects);
        Assert.Null(transition.Task.CompletedAt);
    }

    [Theory]
    [InlineData(OeeTaskStatus.Error, "ended error")]
    [InlineData(OeeTaskStatus.Cancelled, "ended cancelled")]
    [InlineData(null, "no longer exists")]
    public void A_failed_or_vanished_dependency_cancels_the_task_with_a_reason_naming_it(OeeTaskStatus? status, string says)
    {
        var transition = Finished(Waiting(false, "a", "b"), "b", status);

        Assert.Equal(TransitionKind.Applied, transition.Kind);
        Assert.Equal(OeeTaskStatus.Cancelled, transition.Task.Status);
        Assert.Equal(Now, transition.Task.CompletedAt);
        Assert.Equal(TaskDependencies.FailedType, transition.Task.Error!.Type);
        Assert.Contains("'b'", transition.Task.Error.Message, StringComparison.Ordinal);
        Assert.Contains(says, transition.Task.Error.Message, StringComparison.Ordinal);
        Assert.Equal(TaskEffects.None, transition.Effects);
    }

    [Theory]
    [InlineData(OeeTaskStatus.Error)]
    [InlineData(OeeTaskStatus.Cancelled)]
    public void With_run_on_dependency_failure_a_failed_dependency_counts_as_finished(OeeTaskStatus status)
    {
        var transition = Finished(Waiting(true, "a"), "a", status);

        Assert.Equal(OeeTaskStatus.Queued, transition.Task.Status);
        Assert.Equal(TaskEffects.Enqueue, transition.Effects);
        Assert.Null(transition.Task.Error);
    }

    [Theory]
    [InlineData(OeeTaskStatus.Queued)]
    [InlineData(OeeTaskStatus.Running)]
    [InlineData(OeeTaskStatus.Waiting)]
    public void A_dependency_that_has_not_finished_changes_nothing(OeeTaskStatus status)
    {
        var waiting = Waiting(false, "a");
        Assert.Equal(TransitionKind.Unchanged, Finished(waiting, "a", status).Kind);
    }

    [Fact]
    public void A_repeated_or_foreign_message_changes_nothing()
    {
        var once = Finished(Waiting(false, "a", "b"), "a", OeeTaskStatus.Done).Task;

        Assert.Equal(TransitionKind.Unchanged, Finished(once, "a", OeeTaskStatus.Done).Kind);
        Assert.Equal(TransitionKind.Unchanged, Finished(once, "a", OeeTaskStatus.Error).Kind);
        Assert.Equal(TransitionKind.Unchanged, Finished(once, "zzz", OeeTaskStatus.Error).Kind);
    }

    [Theory]
    [InlineData(OeeTaskStatus.Queued)]
    [InlineData(OeeTaskStatus.Cancelled)]
    public void A_task_no_longer_waiting_ignores_its_dependencies(OeeTaskStatus status)
    {
        var task = Waiting(false, "a") with { Status = status };
        Assert.Equal(TransitionKind.Unchanged, Finished(task, "a", OeeTaskStatus.Error).Kind);
    }

    [Fact]
    public void Cancelling_a_waiting_task_is_immediate_and_needs_no_queue()
    {
        var transition = TaskStateMachine.Apply(Waiting(false, "a"), new TaskCommand.Cancel(), Now);

        Assert.Equal(OeeTaskStatus.Cancelled, transition.Task.Status);
        Assert.Equal(Now, transition.Task.CompletedAt);
        Assert.Equal(TaskEffects.CancelChildren, transition.Effects);
    }

    [Fact]
    public void A_waiting_task_cannot_start_or_complete()
    {
        var waiting = Waiting(false, "a");

        var start = TaskStateMachine.Apply(waiting, new TaskCommand.Start("silo-a"), Now);
        Assert.Equal(TransitionKind.Refused, start.Kind);
        Assert.Contains("waiting for a", start.Reason, StringComparison.Ordinal);
        Assert.Equal(TransitionKind.Refused, TaskStateMachine.Apply(waiting, new TaskCommand.Complete(1, TaskOutcome.Succeeded("1")), Now).Kind);
    }

    [Fact]
    public void Dependents_are_added_once_each_and_in_order()
    {
        var task = TaskStateMachineTests.Queued();

        var first = TaskStateMachine.Apply(task, new TaskCommand.AddDependents(["x", "y", "x"]), Now);
        Assert.Equal(TransitionKind.Applied, first.Kind);
        Assert.Equal(["x", "y"], first.Task.Dependents);

        var again = TaskStateMachine.Apply(first.Task, new TaskCommand.AddDependents(["y", "z"]), Now);
        Assert.Equal(["x", "y", "z"], again.Task.Dependents);
        Assert.Equal(TransitionKind.Unchanged, TaskStateMachine.Apply(again.Task, new TaskCommand.AddDependents(["z", "x"]), Now).Kind);
    }

    [Fact]
    public void A_dependent_registering_itself_is_added_once_among_many_and_its_repeat_changes_nothing()
    {
        // The single-id path (a dependent's own registration) finds an id among many as the set path does.
        string[] many = [.. Enumerable.Range(0, 1000).Select(i => $"dependent-{i}")];
        var registered = TaskStateMachineTests.Queued() with { Dependents = many };

        Assert.Equal(TransitionKind.Unchanged, TaskStateMachine.Apply(registered, new TaskCommand.AddDependents(["dependent-999"]), Now).Kind);
        Assert.Equal(TransitionKind.Unchanged, TaskStateMachine.Apply(registered, new TaskCommand.AddDependents(["dependent-0"]), Now).Kind);

        var added = TaskStateMachine.Apply(registered, new TaskCommand.AddDependents(["late"]), Now);
        Assert.Equal(TransitionKind.Applied, added.Kind);
        Assert.Equal([.. many, "late"], added.Task.Dependents);
        Assert.Equal(TransitionKind.Unchanged, TaskStateMachine.Apply(added.Task, new TaskCommand.AddDependents(["late"]), Now).Kind);
    }

    [Theory]
    [InlineData(OeeTaskStatus.Done)]
    [InlineData(OeeTaskStatus.Error)]
    [InlineData(OeeTaskStatus.Cancelled)]
    public void A_finished_task_takes_no_dependents_its_status_answers_them(OeeTaskStatus status)
    {
        var finished = TaskStateMachineTests.Queued() with { Status = status, CompletedAt = Now };
        Assert.Equal(TransitionKind.Unchanged, TaskStateMachine.Apply(finished, new TaskCommand.AddDependents(["x"]), Now).Kind);
    }

    [Fact]
    public void Every_way_of_finishing_tells_the_dependents_and_only_when_there_are_some()
    {
        var queued = TaskStateMachineTests.Queued() with { Dependents = ["d"] };
        var running = TaskStateMachine.Apply(queued, new TaskCommand.Start("silo-a"), Now).Task;

        Assert.True(TaskStateMachine.Apply(running, new TaskCommand.Complete(1, TaskOutcome.Succeeded("1")), Now).Effects.HasFlag(TaskEffects.NotifyDependents));
        Assert.True(TaskStateMachine.Apply(running, new TaskCommand.Complete(1, TaskOutcome.Failed(new TaskError("x", "X"))), Now).Effects.HasFlag(TaskEffects.NotifyDependents));
        Assert.True(TaskStateMachine.Apply(queued, new TaskCommand.Cancel(), Now).Effects.HasFlag(TaskEffects.NotifyDependents));
        Assert.True(Finished(Waiting(false, "a") with { Dependents = ["d"] }, "a", OeeTaskStatus.Error).Effects.HasFlag(TaskEffects.NotifyDependents));
        Assert.True(TaskStateMachine.Apply(Waiting(false, "a") with { Dependents = ["d"] }, new TaskCommand.Cancel(), Now).Effects.HasFlag(TaskEffects.NotifyDependents));

        // Not finishing, or finishing without dependents: nothing to tell.
        Assert.False(TaskStateMachine.Apply(running, new TaskCommand.Cancel(), Now).Effects.HasFlag(TaskEffects.NotifyDependents));
        Assert.False(TaskStateMachine.Apply(queued with { Dependents = [] }, new TaskCommand.Cancel(), Now).Effects.HasFlag(TaskEffects.NotifyDependents));
    }
}
