using Oee.Grains.Contracts;
using Oee.Grains.Tasks;
using Oee.Grains.Workers;

namespace Oee.Grains.Events;

/// <summary>Turns a task's change into its event: pure, so each reason can be tested on its own.</summary>
internal static class TaskEventFactory
{
    public static TaskEvent Submitted(TaskRecord task, string? silo) => new()
    {
        TaskId = task.Id,
        Queue = task.Queue,
        Tenant = task.Tenant,
        Kind = TaskEventKind.Status,
        OldStatus = null,
        Status = task.Status,
        Attempt = task.Attempt,
        Version = task.Version,
        At = task.CreatedAt,
        Reason = TaskEventReasons.Submitted,
        Silo = silo,
        Error = task.Error,
    };

    public static TaskEvent Changed(TaskRecord before, TaskRecord after, TaskCommand command, DateTimeOffset at, string? silo)
    {
        var kind = command is TaskCommand.Progress
            ? TaskEventKind.Progress
            : before.Status == after.Status ? TaskEventKind.Changed : TaskEventKind.Status;
        return new TaskEvent
        {
            TaskId = after.Id,
            Queue = after.Queue,
            Tenant = after.Tenant,
            Kind = kind,
            OldStatus = before.Status,
            Status = after.Status,
            Attempt = after.Attempt,
            Version = after.Version,
            At = at,
            Reason = ReasonOf(before, after, command),
            Silo = silo,
            Progress = kind == TaskEventKind.Progress ? after.Progress : null,
            Error = after.Error is { } error && !ReferenceEquals(error, before.Error) ? error : null,
        };
    }

    /// <summary>The task as it is: the first event of a watcher of one task that does not resume.</summary>
    public static TaskEvent Snapshot(TaskRecord task) => new()
    {
        TaskId = task.Id,
        Queue = task.Queue,
        Tenant = task.Tenant,
        Kind = TaskEventKind.Snapshot,
        OldStatus = null,
        Status = task.Status,
        Attempt = task.Attempt,
        Version = task.Version,
        At = task.CompletedAt ?? task.StartedAt ?? task.CreatedAt,
        Reason = TaskEventReasons.Snapshot,
        Silo = task.Silo,
        Progress = task.Progress,
        Error = task.Error,
    };

    private static string ReasonOf(TaskRecord before, TaskRecord after, TaskCommand command) => command switch
    {
        TaskCommand.Start when after.Status == OeeTaskStatus.Error => TaskEventReasons.AttemptLost,
        TaskCommand.Start when after.Status == OeeTaskStatus.Cancelled => TaskEventReasons.Cancelled,
        TaskCommand.Start when before.Status == OeeTaskStatus.Running => TaskEventReasons.Recovered,
        TaskCommand.Start => TaskEventReasons.Started,
        TaskCommand.Complete complete => after.Status switch
        {
            OeeTaskStatus.Done => TaskEventReasons.Succeeded,
            OeeTaskStatus.Cancelled => TaskEventReasons.Cancelled,
            OeeTaskStatus.Scheduled => TaskEventReasons.RetryScheduled,
            _ when complete.Outcome.Kind == TaskOutcomeKind.Cancelled && after.Status == OeeTaskStatus.Cancelled => TaskEventReasons.Cancelled,
            _ => TaskEventReasons.Failed,
        },
        TaskCommand.Cancel => after.Status == OeeTaskStatus.Cancelled ? TaskEventReasons.Cancelled : TaskEventReasons.CancelRequested,
        TaskCommand.Requeue => after.Status == OeeTaskStatus.Cancelled ? TaskEventReasons.Cancelled : TaskEventReasons.HandedBack,
        TaskCommand.Due => TaskEventReasons.Due,
        TaskCommand.Retry => TaskEventReasons.Retried,
        TaskCommand.DependencyFinished => TaskEventReasons.DependencyFinished,
        TaskCommand.AddDependents => TaskEventReasons.DependentsAdded,
        TaskCommand.Progress => TaskEventReasons.Progress,
        _ => command.GetType().Name.ToLowerInvariant(),
    };
}
