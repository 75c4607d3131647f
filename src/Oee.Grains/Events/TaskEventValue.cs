using Oee.Grains.Contracts;
using Oee.Grains.Storage;

namespace Oee.Grains.Events;

/// <summary>
/// A <see cref="TaskEvent"/>'s fields by value: what a silo's ring keeps in place, so that an event costs
/// no object of its own until a subscriber reads it. Held for about a second at full speed (the ring's
/// 65,536 events), event objects outlived the young generation and were collected with the old, a third
/// of what a task left behind at each gen0 collection. The task id is held as its <see cref="TaskKey"/> (an
/// engine id as its 16 bytes), so the ring keeps no id string alive either; the other fields refer to strings
/// the silo holds anyway (the queue's, the reason codes, the silo's name).
/// </summary>
internal readonly struct TaskEventValue
{
    /// <summary>The task id, as its key.</summary>
    public required TaskKey Task { get; init; }

    public required string Queue { get; init; }

    public string? Tenant { get; init; }

    public TaskEventKind Kind { get; init; }

    public OeeTaskStatus? OldStatus { get; init; }

    public OeeTaskStatus Status { get; init; }

    public int Attempt { get; init; }

    public long Version { get; init; }

    public DateTimeOffset At { get; init; }

    public required string Reason { get; init; }

    public string? Silo { get; init; }

    public TaskProgress? Progress { get; init; }

    public TaskError? Error { get; init; }

    /// <summary>True when the task is final after this change (as <see cref="TaskEvent.IsFinal"/>).</summary>
    public bool IsFinal => TaskEvent.IsFinalChange(Kind, Status);

    /// <summary>The event (not numbered: <see cref="TaskEvent.Id"/> 0).</summary>
    public TaskEvent ToTaskEvent() => new()
    {
        TaskId = Task.ToString(),
        Queue = Queue,
        Tenant = Tenant,
        Kind = Kind,
        OldStatus = OldStatus,
        Status = Status,
        Attempt = Attempt,
        Version = Version,
        At = At,
        Reason = Reason,
        Silo = Silo,
        Progress = Progress,
        Error = Error,
    };
}
