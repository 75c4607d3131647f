using Oee.Grains.Contracts;
using Oee.Grains.Workers;

namespace Oee.Grains.Tasks;

/// <summary>
/// The one place where a task changes status. Pure: (record, command, time) → transition.
/// Illegal commands are refused with a reason; repeated or stale ones leave the record unchanged.
/// </summary>
internal static class TaskStateMachine
{
    public static TaskTransition Apply(TaskRecord task, TaskCommand command, DateTimeOffset now) => TellDependents(task, command switch
    {
        TaskCommand.Start start => ApplyStart(task, start, now),
        TaskCommand.Complete complete => ApplyComplete(task, complete, now),
        TaskCommand.Cancel => ApplyCancel(task, now),
        TaskCommand.Requeue requeue => ApplyRequeue(task, requeue, now),
        TaskCommand.DependencyFinished finished => TaskDependencies.ApplyFinished(task, finished, now),
        TaskCommand.AddDependents add => TaskDependencies.ApplyAddDependents(task, add),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command, "Unknown task command."),
    });

    /// <summary>Whatever made a task final, its dependents must learn it.</summary>
    private static TaskTransition TellDependents(TaskRecord before, TaskTransition transition) =>
        transition.Kind == TransitionKind.Applied && !before.Status.IsFinal() && transition.Task.Status.IsFinal() && transition.Task.Dependents.Length > 0
            ? transition with { Effects = transition.Effects | TaskEffects.NotifyDependents }
            : transition;

    private static TaskTransition ApplyStart(TaskRecord task, TaskCommand.Start start, DateTimeOffset now) => task.Status switch
    {
        OeeTaskStatus.Queued => NewAttempt(task, start.Silo, now),
        OeeTaskStatus.Running when !start.RecoverLostAttempt => TaskTransition.Unchanged(task),
        OeeTaskStatus.Running when task.CancelRequested => TaskTransition.Applied(
            task with { Status = OeeTaskStatus.Cancelled, CompletedAt = now },
            TaskEffects.LeaveQueue),
        OeeTaskStatus.Running when task.Attempt >= task.MaxAttempts => TaskTransition.Applied(
            task with
            {
                Status = OeeTaskStatus.Error,
                CompletedAt = now,
                Error = new TaskError(
                    $"Attempt {task.Attempt} was lost when silo {task.Silo} stopped, and the task may use {task.MaxAttempts} attempt(s).",
                    "AttemptLost"),
            },
            TaskEffects.LeaveQueue),
        OeeTaskStatus.Running => NewAttempt(task, start.Silo, now),
        OeeTaskStatus.Waiting => TaskTransition.Refused(task, $"Task '{task.Id}' cannot start: it is waiting for {string.Join(", ", task.PendingDependencies)}."),
        _ => TaskTransition.Refused(task, $"Task '{task.Id}' cannot start: it already finished as {task.Status.ToWireName()}."),
    };

    private static TaskTransition NewAttempt(TaskRecord task, string silo, DateTimeOffset now) => TaskTransition.Applied(
        task with
        {
            Status = OeeTaskStatus.Running,
            Attempt = task.Attempt + 1,
            StartedAt = now,
            Silo = silo,
            CancelRequested = false,
            Result = null,
            Error = null,
        },
        TaskEffects.RunBody);

    private static TaskTransition ApplyRequeue(TaskRecord task, TaskCommand.Requeue requeue, DateTimeOffset now)
    {
        if (task.Status != OeeTaskStatus.Running || requeue.Attempt != task.Attempt)
        {
            return TaskTransition.Unchanged(task);
        }

        return task.CancelRequested
            ? TaskTransition.Applied(task with { Status = OeeTaskStatus.Cancelled, CompletedAt = now }, TaskEffects.LeaveQueue)
            : TaskTransition.Applied(task with { Status = OeeTaskStatus.Queued }, TaskEffects.ReturnToQueue);
    }

    private static TaskTransition ApplyComplete(TaskRecord task, TaskCommand.Complete complete, DateTimeOffset now)
    {
        if (task.Status is OeeTaskStatus.Queued or OeeTaskStatus.Waiting)
        {
            return TaskTransition.Refused(task, $"Task '{task.Id}' is {task.Status.ToWireName()}; no attempt of it is running, so none can complete.");
        }

        // A repeated report, or a late one from an older attempt, changes nothing.
        if (task.Status != OeeTaskStatus.Running || complete.Attempt != task.Attempt)
        {
            return TaskTransition.Unchanged(task);
        }

        var finished = task with { CompletedAt = now };
        if (task.CancelRequested)
        {
            return TaskTransition.Applied(finished with { Status = OeeTaskStatus.Cancelled }, TaskEffects.LeaveQueue);
        }

        var outcome = complete.Outcome;
        return outcome.Kind switch
        {
            TaskOutcomeKind.Succeeded => TaskTransition.Applied(
                finished with { Status = OeeTaskStatus.Done, Result = outcome.Result },
                TaskEffects.LeaveQueue),
            TaskOutcomeKind.Failed => TaskTransition.Applied(
                finished with { Status = OeeTaskStatus.Error, Error = outcome.Error ?? new TaskError("The body failed.", "Unknown") },
                TaskEffects.LeaveQueue),
            _ => TaskTransition.Applied(
                finished with
                {
                    Status = OeeTaskStatus.Error,
                    Error = new TaskError("The body stopped on a cancellation nobody requested.", typeof(OperationCanceledException).FullName!),
                },
                TaskEffects.LeaveQueue),
        };
    }

    private static TaskTransition ApplyCancel(TaskRecord task, DateTimeOffset now) => task.Status switch
    {
        OeeTaskStatus.Waiting => TaskTransition.Applied(task with { Status = OeeTaskStatus.Cancelled, CompletedAt = now }, TaskEffects.None),
        OeeTaskStatus.Queued => TaskTransition.Applied(
            task with { Status = OeeTaskStatus.Cancelled, CompletedAt = now },
            TaskEffects.LeaveQueue),
        OeeTaskStatus.Running when !task.CancelRequested => TaskTransition.Applied(
            task with { CancelRequested = true },
            TaskEffects.SignalCancellation),
        OeeTaskStatus.Running or OeeTaskStatus.Cancelled => TaskTransition.Unchanged(task),
        _ => TaskTransition.Refused(task, $"Task '{task.Id}' already finished as {task.Status.ToWireName()}; it cannot be cancelled."),
    };
}
