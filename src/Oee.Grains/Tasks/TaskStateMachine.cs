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
        TaskCommand.Cancel => WithChildren(ApplyCancel(task, now)),
        TaskCommand.Requeue requeue => ApplyRequeue(task, requeue, now),
        TaskCommand.DependencyFinished finished => TaskDependencies.ApplyFinished(task, finished, now),
        TaskCommand.AddDependents add => TaskDependencies.ApplyAddDependents(task, add),
        TaskCommand.Due => ApplyDue(task),
        TaskCommand.Retry => ApplyRetry(task),
        TaskCommand.Progress progress => ApplyProgress(task, progress, now),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command, "Unknown task command."),
    });

    /// <summary>A cancel that took effect reaches the task's children too (a task never knows whether it has any).</summary>
    private static TaskTransition WithChildren(TaskTransition transition) =>
        transition.Kind == TransitionKind.Applied ? transition with { Effects = transition.Effects | TaskEffects.CancelChildren } : transition;

    /// <summary>Whatever made a task final, its dependents must learn it.</summary>
    private static TaskTransition TellDependents(TaskRecord before, TaskTransition transition) =>
        transition.Kind == TransitionKind.Applied && !before.Status.IsFinal() && transition.Task.Status.IsFinal() && transition.Task.Dependents.Length > 0
            ? transition with { Effects = transition.Effects | TaskEffects.NotifyDependents }
            : transition;

    private static TaskTransition ApplyStart(TaskRecord task, TaskCommand.Start start, DateTimeOffset now) => task.Status switch
    {
        OeeTaskStatus.Queued or OeeTaskStatus.Scheduled => NewAttempt(task, start.Silo, now),
        OeeTaskStatus.Running when !start.RecoverLostAttempt => TaskTransition.Unchanged(task),
        OeeTaskStatus.Running when task.CancelRequested => TaskTransition.Applied(
            task with { Status = OeeTaskStatus.Cancelled, CompletedAt = now },
            TaskEffects.LeaveQueue),
        OeeTaskStatus.Running when task.AttemptsUsedUp => TaskTransition.Applied(
            task with
            {
                Status = OeeTaskStatus.Error,
                CompletedAt = now,
                DeadLettered = true,
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
            NextRunAt = null,
            Progress = null,
        },
        TaskEffects.RunBody);

    private static TaskTransition ApplyRequeue(TaskRecord task, TaskCommand.Requeue requeue, DateTimeOffset now)
    {
        if (task.Status != OeeTaskStatus.Running || requeue.Attempt != task.Attempt)
        {
            return TaskTransition.Unchanged(task);
        }

        if (task.CancelRequested)
        {
            return TaskTransition.Applied(task with { Status = OeeTaskStatus.Cancelled, CompletedAt = now }, TaskEffects.LeaveQueue);
        }

        // An attempt whose body never started is taken back: the next start runs the same attempt number.
        return TaskTransition.Applied(
            requeue.BodyRan
                ? task with { Status = OeeTaskStatus.Queued }
                : task with { Status = OeeTaskStatus.Queued, Attempt = task.Attempt - 1, Silo = null, StartedAt = task.Attempt > 1 ? task.StartedAt : null },
            TaskEffects.ReturnToQueue);
    }

    private static TaskTransition ApplyComplete(TaskRecord task, TaskCommand.Complete complete, DateTimeOffset now)
    {
        if (task.Status is OeeTaskStatus.Queued or OeeTaskStatus.Waiting or OeeTaskStatus.Scheduled)
        {
            return TaskTransition.Refused(task, $"Task '{task.Id}' is {task.Status.ToWireName()}; no attempt of it is running, so none can complete.");
        }

        // A repeated report, or a late one from an older attempt, changes nothing.
        if (task.Status != OeeTaskStatus.Running || complete.Attempt != task.Attempt)
        {
            return TaskTransition.Unchanged(task);
        }

        // Each outcome is one copy of the record (a record is ~0.4 KiB: no intermediate copy per task).
        if (task.CancelRequested)
        {
            return TaskTransition.Applied(task with { Status = OeeTaskStatus.Cancelled, CompletedAt = now }, TaskEffects.LeaveQueue);
        }

        var outcome = complete.Outcome;
        if (outcome.Kind == TaskOutcomeKind.Succeeded)
        {
            return TaskTransition.Applied(task with { Status = OeeTaskStatus.Done, CompletedAt = now, Result = outcome.Result }, TaskEffects.LeaveQueue);
        }

        var error = outcome.Kind == TaskOutcomeKind.Failed
            ? outcome.Error ?? new TaskError("The body failed.", "Unknown")
            : new TaskError("The body stopped on a cancellation nobody requested.", typeof(OperationCanceledException).FullName!);
        var retryable = RetryBackoff.Retries(task.Retry, error);
        if (retryable && !task.AttemptsUsedUp)
        {
            // Failed attempt n of this run: wait the backoff, then queue again at the task's own place.
            var delay = RetryBackoff.Delay(task.Retry!, task.Attempt - task.AttemptsBeforeRetry, complete.JitterSample);
            return TaskTransition.Applied(
                task with { Status = OeeTaskStatus.Scheduled, NextRunAt = now + delay, Error = error },
                TaskEffects.Schedule);
        }

        return TaskTransition.Applied(
            task with { Status = OeeTaskStatus.Error, CompletedAt = now, Error = error, DeadLettered = retryable, Result = outcome.Result },
            TaskEffects.LeaveQueue);
    }

    private static TaskTransition ApplyDue(TaskRecord task) => task.Status == OeeTaskStatus.Scheduled
        ? TaskTransition.Applied(task with { Status = OeeTaskStatus.Queued, NextRunAt = null }, TaskEffects.None)
        : TaskTransition.Unchanged(task);

    // A task whose dependencies have not all finished (cancelled while it waited for them, or by a failed one) waits
    // for them again: a retry never runs a task before its dependencies are done (the grain then asks them).
    private static TaskTransition ApplyRetry(TaskRecord task) => task.Status switch
    {
        OeeTaskStatus.Error or OeeTaskStatus.Cancelled => TaskTransition.Applied(
            task with
            {
                Status = task.PendingDependencies.Length > 0 ? OeeTaskStatus.Waiting : OeeTaskStatus.Queued,
                AttemptsBeforeRetry = task.Attempt,
                DeadLettered = false,
                CancelRequested = false,
                CompletedAt = null,
                NextRunAt = null,
                Result = null,
                Error = null,
            },
            task.PendingDependencies.Length > 0 ? TaskEffects.None : TaskEffects.Reenqueue),
        _ => TaskTransition.Refused(
            task,
            $"Task '{task.Id}' is {task.Status.ToWireName()}; only a task that ended error or cancelled can be retried."),
    };

    private static TaskTransition ApplyCancel(TaskRecord task, DateTimeOffset now) => task.Status switch
    {
        OeeTaskStatus.Waiting => TaskTransition.Applied(task with { Status = OeeTaskStatus.Cancelled, CompletedAt = now }, TaskEffects.None),
        OeeTaskStatus.Queued or OeeTaskStatus.Scheduled => TaskTransition.Applied(
            task with { Status = OeeTaskStatus.Cancelled, CompletedAt = now, NextRunAt = null },
            TaskEffects.LeaveQueue),
        OeeTaskStatus.Running when !task.CancelRequested => TaskTransition.Applied(
            task with { CancelRequested = true },
            TaskEffects.SignalCancellation),
        OeeTaskStatus.Running or OeeTaskStatus.Cancelled => TaskTransition.Unchanged(task),
        _ => TaskTransition.Refused(task, $"Task '{task.Id}' already finished as {task.Status.ToWireName()}; it cannot be cancelled."),
    };

    private static TaskTransition ApplyProgress(TaskRecord task, TaskCommand.Progress progress, DateTimeOffset now) =>
        task.Status == OeeTaskStatus.Running && progress.Attempt == task.Attempt
            ? TaskTransition.Applied(task with { Progress = new TaskProgress(progress.Percent, progress.Message, now) }, TaskEffects.None)
            : TaskTransition.Unchanged(task);
}
