using Oee.Grains.Contracts;
using Oee.Grains.Storage;
using Oee.Grains.Tasks;
using Oee.Grains.Workers;

namespace Oee.Grains.Events;

/// <summary>Turns a task's change into its event (by value, as the ring keeps it): pure, so each reason can be tested on its own.</summary>
internal static class TaskEventFactory
{
    public static TaskEventValue Submitted(TaskRecord task, string? silo) =>
        Of(task, TaskEventKind.Status, oldStatus: null, task.CreatedAt, TaskEventReasons.Submitted, silo, progress: null, task.Error);

    public static TaskEventValue Changed(TaskRecord before, TaskRecord after, TaskCommand command, DateTimeOffset at, string? silo)
    {
        var kind = command is TaskCommand.Progress
            ? TaskEventKind.Progress
            : before.Status == after.Status ? TaskEventKind.Changed : TaskEventKind.Status;
        return Of(
            after,
            kind,
            before.Status,
            at,
            ReasonOf(before, after, command),
            silo,
            kind == TaskEventKind.Progress ? after.Progress : null,
            after.Error is { } error && !ReferenceEquals(error, before.Error) ? error : null);
    }

    /// <summary>The task as it is: the first event of a watcher of one task that does not resume.</summary>
    public static TaskEvent Snapshot(TaskRecord task) =>
        Of(task, TaskEventKind.Snapshot, oldStatus: null, task.CompletedAt ?? task.StartedAt ?? task.CreatedAt, TaskEventReasons.Snapshot, task.Silo, task.Progress, task.Error).ToTaskEvent();

    /// <summary>An event of <paramref name="task"/> as it now is: what every event says of its task (id, queue, tenant, status, attempt, version) in one place.</summary>
    private static TaskEventValue Of(TaskRecord task, TaskEventKind kind, OeeTaskStatus? oldStatus, DateTimeOffset at, string reason, string? silo, TaskProgress? progress, TaskError? error) => new()
    {
        Task = TaskKey.Of(task.Id),
        Queue = task.Queue,
        Tenant = task.Tenant,
        Kind = kind,
        OldStatus = oldStatus,
        Status = task.Status,
        Attempt = task.Attempt,
        Version = task.Version,
        At = at,
        Reason = reason,
        Silo = silo,
        Progress = progress,
        Error = error,
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
