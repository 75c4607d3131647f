namespace Oee.Grains.Contracts;

/// <summary>
/// The lifecycle status of a task. The set is open: later versions add values (for example
/// scheduled or waiting) with new numbers; existing numbers never change meaning.
/// </summary>
[GenerateSerializer, Alias("oee.task-status")]
public enum OeeTaskStatus
{
    /// <summary>Accepted and waiting in its queue for a slot.</summary>
    Queued = 1,

    /// <summary>Its body is executing on a worker.</summary>
    Running = 2,

    /// <summary>The body finished and produced a result. Final.</summary>
    Done = 3,

    /// <summary>The body failed; the error is recorded. Final.</summary>
    Error = 4,

    /// <summary>Cancelled before or while running. Final.</summary>
    Cancelled = 5,

    /// <summary>Accepted, waiting for its dependencies (<see cref="TaskRecord.DependsOn"/>) to be done; then queued.</summary>
    Waiting = 7,
    /// <summary>
    /// Waiting for a time (<see cref="TaskRecord.NextRunAt"/>): a delayed start, or the backoff
    /// before a retry. Queued at its priority and original sequence once due.
    /// </summary>
    Scheduled = 6,
}

/// <summary>Helpers for <see cref="OeeTaskStatus"/>.</summary>
public static class OeeTaskStatusExtensions
{
    /// <summary>Every status, in declaration order.</summary>
    public static IReadOnlyList<OeeTaskStatus> All { get; } = Enum.GetValues<OeeTaskStatus>();

    /// <summary>True for statuses a task never leaves.</summary>
    public static bool IsFinal(this OeeTaskStatus status) =>
        status is OeeTaskStatus.Done or OeeTaskStatus.Error or OeeTaskStatus.Cancelled;

    /// <summary>The lower-case wire name used by the REST API ("queued", "running", ...).</summary>
    public static string ToWireName(this OeeTaskStatus status) => status switch
    {
        OeeTaskStatus.Queued => "queued",
        OeeTaskStatus.Running => "running",
        OeeTaskStatus.Done => "done",
        OeeTaskStatus.Error => "error",
        OeeTaskStatus.Cancelled => "cancelled",
        OeeTaskStatus.Waiting => "waiting",
        OeeTaskStatus.Scheduled => "scheduled",
        _ => status.ToString().ToLowerInvariant(),
    };
}
