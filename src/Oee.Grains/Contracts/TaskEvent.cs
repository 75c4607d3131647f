namespace Oee.Grains.Contracts;

/// <summary>What a <see cref="TaskEvent"/> tells.</summary>
[GenerateSerializer, Alias("oee.event-kind")]
public enum TaskEventKind
{
    /// <summary>The task's status changed.</summary>
    Status = 0,

    /// <summary>The status stayed, something else changed (a cancel requested while running, a dependency finished while waiting, dependents registered).</summary>
    Changed = 1,

    /// <summary>The body reported progress (<see cref="TaskEvent.Progress"/>).</summary>
    Progress = 2,

    /// <summary>Not a change: the task as it is now, sent first to a watcher of one task that does not resume.</summary>
    Snapshot = 3,
}

/// <summary>
/// One change of a task, published by the silo that made it. A task's events carry its
/// <see cref="Version"/> after the change: one more per change, so one task's events are numbered
/// without gaps.
/// </summary>
[GenerateSerializer, Immutable, Alias("oee.event-task-event")]
public sealed record TaskEvent
{
    /// <summary>
    /// The event's id in the stream it was read from (assigned by the process that serves the stream,
    /// increasing by one per event it saw; resume after it). 0 before that (as published) and on a snapshot.
    /// </summary>
    [Id(0)] public long Id { get; init; }

    /// <summary>The task id.</summary>
    [Id(1)] public required string TaskId { get; init; }

    /// <summary>The task's queue.</summary>
    [Id(2)] public required string Queue { get; init; }

    /// <summary>What the event tells.</summary>
    [Id(3)] public TaskEventKind Kind { get; init; }

    /// <summary>The status before the change; null on the task's first event (its submit).</summary>
    [Id(4)] public OeeTaskStatus? OldStatus { get; init; }

    /// <summary>The status after the change.</summary>
    [Id(5)] public OeeTaskStatus Status { get; init; }

    /// <summary>The task's attempt number after the change.</summary>
    [Id(6)] public int Attempt { get; init; }

    /// <summary>The task's version after the change.</summary>
    [Id(7)] public long Version { get; init; }

    /// <summary>When the change happened (engine clock of the silo that made it).</summary>
    [Id(8)] public DateTimeOffset At { get; init; }

    /// <summary>A short code saying why (see <see cref="TaskEventReasons"/>).</summary>
    [Id(9)] public required string Reason { get; init; }

    /// <summary>The silo that made the change.</summary>
    [Id(10)] public string? Silo { get; init; }

    /// <summary>The progress reported, on <see cref="TaskEventKind.Progress"/> events (the latest, on a snapshot).</summary>
    [Id(11)] public TaskProgress? Progress { get; init; }

    /// <summary>The failure the change recorded, if any.</summary>
    [Id(12)] public TaskError? Error { get; init; }

    /// <summary>The task's tenant, or null: event streams of a tenant-bound key carry only its tenant's events.</summary>
    [Id(86)] public string? Tenant { get; init; }

    /// <summary>The task as it is now, as a <see cref="TaskEventKind.Snapshot"/> event (not numbered).</summary>
    public static TaskEvent SnapshotOf(TaskRecord task) => Events.TaskEventFactory.Snapshot(task);

    /// <summary>True when the task is final after this change.</summary>
    public bool IsFinal => IsFinalChange(Kind, Status);

    /// <summary>Whether an event of <paramref name="kind"/> leaving the task in <paramref name="status"/> says the task is final.</summary>
    internal static bool IsFinalChange(TaskEventKind kind, OeeTaskStatus status) => kind is TaskEventKind.Status or TaskEventKind.Snapshot && status.IsFinal();
}

/// <summary>The <see cref="TaskEvent.Reason"/> codes.</summary>
public static class TaskEventReasons
{
    /// <summary>The task was accepted.</summary>
    public const string Submitted = "submitted";

    /// <summary>A scheduled task was queued.</summary>
    public const string Due = "due";

    /// <summary>An attempt's body started.</summary>
    public const string Started = "started";

    /// <summary>A lost attempt (its silo died) started again as the next attempt.</summary>
    public const string Recovered = "recovered";

    /// <summary>A lost attempt ended the task: its attempts were used up.</summary>
    public const string AttemptLost = "attempt-lost";

    /// <summary>The body succeeded.</summary>
    public const string Succeeded = "succeeded";

    /// <summary>The body failed and the task ended error.</summary>
    public const string Failed = "failed";

    /// <summary>The body failed and the task waits for its retry.</summary>
    public const string RetryScheduled = "retry-scheduled";

    /// <summary>The task was cancelled.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>A cancel was asked while the body runs.</summary>
    public const string CancelRequested = "cancel-requested";

    /// <summary>A draining silo gave the task back to its queue.</summary>
    public const string HandedBack = "handed-back";

    /// <summary>A manual retry queued the task again.</summary>
    public const string Retried = "retried";

    /// <summary>A dependency finished.</summary>
    public const string DependencyFinished = "dependency-finished";

    /// <summary>Tasks registered as dependents.</summary>
    public const string DependentsAdded = "dependents-added";

    /// <summary>The body reported progress.</summary>
    public const string Progress = "progress";

    /// <summary>A snapshot: the task as it is.</summary>
    public const string Snapshot = "snapshot";
}
