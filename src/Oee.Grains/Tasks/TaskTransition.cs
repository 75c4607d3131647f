using Oee.Grains.Contracts;

namespace Oee.Grains.Tasks;

/// <summary>What the grain must do after a transition, besides persisting the new record.</summary>
[Flags]
internal enum TaskEffects
{
    /// <summary>Nothing beyond persisting.</summary>
    None = 0,

    /// <summary>Tell the queue the task left it (its entry or its running slot is free).</summary>
    LeaveQueue = 1,

    /// <summary>Cancel the running body's token.</summary>
    SignalCancellation = 2,

    /// <summary>Run the body for the new attempt.</summary>
    RunBody = 4,

    /// <summary>Give the task back to its queue's backlog (its slot is free, its place kept).</summary>
    ReturnToQueue = 8,

    /// <summary>A waiting task became ready: put it in its queue at its sequence (before persisting, see TaskGrain).</summary>
    Enqueue = 16,

    /// <summary>The task finished: tell its dependents.</summary>
    NotifyDependents = 32,

    /// <summary>Have the queue hold the task until <see cref="TaskRecord.NextRunAt"/> (a retry's backoff); a running slot is freed.</summary>
    Schedule = 64,

    /// <summary>Put a finished task back in its queue at its original place (a manual retry).</summary>
    Reenqueue = 128,

    /// <summary>The task was cancelled (or asked to stop): cancel its unfinished child tasks too.</summary>
    CancelChildren = 256,
}

/// <summary>How a command was taken.</summary>
internal enum TransitionKind
{
    /// <summary>The record changed; persist it and carry out the effects.</summary>
    Applied,

    /// <summary>The command was already in effect or is stale; nothing changes.</summary>
    Unchanged,

    /// <summary>The command is illegal in the current status; nothing changes.</summary>
    Refused,
}

/// <summary>The result of applying one command to a task record.</summary>
internal readonly record struct TaskTransition(TransitionKind Kind, TaskRecord Task, TaskEffects Effects, string? Reason)
{
    public static TaskTransition Applied(TaskRecord task, TaskEffects effects) =>
        new(TransitionKind.Applied, task with { Version = task.Version + 1 }, effects, null);

    public static TaskTransition Unchanged(TaskRecord task) => new(TransitionKind.Unchanged, task, TaskEffects.None, null);

    public static TaskTransition Refused(TaskRecord task, string reason) => new(TransitionKind.Refused, task, TaskEffects.None, reason);
}
