using Oee.Grains.Contracts;

namespace Oee.Grains.Tasks;

/// <summary>
/// The dependency rules of <see cref="TaskStateMachine"/>: a waiting task learns that a dependency
/// finished, and a task learns of a new dependent. Pure, like the state machine.
/// </summary>
internal static class TaskDependencies
{
    /// <summary>The error type of a task cancelled because a dependency failed or vanished.</summary>
    public const string FailedType = "DependencyFailed";

    /// <summary>
    /// Waiting: a done dependency (or, with <see cref="TaskRecord.RunOnDependencyFailure"/>, any
    /// finished one) leaves the pending list, and the last one makes the task queued; an error,
    /// cancelled or vanished dependency cancels it, naming that dependency. In any other status,
    /// for a dependency not pending, or one not finished, nothing changes.
    /// </summary>
    public static TaskTransition ApplyFinished(TaskRecord task, TaskCommand.DependencyFinished finished, DateTimeOffset now)
    {
        if (task.Status != OeeTaskStatus.Waiting
            || !task.PendingDependencies.Contains(finished.DependencyId, StringComparer.Ordinal)
            || finished.Status is { } status && !status.IsFinal())
        {
            return TaskTransition.Unchanged(task);
        }

        if (finished.Status != OeeTaskStatus.Done && !task.RunOnDependencyFailure)
        {
            return TaskTransition.Applied(
                task with { Status = OeeTaskStatus.Cancelled, CompletedAt = now, Error = new TaskError(Reason(task, finished), FailedType) },
                TaskEffects.None);
        }

        string[] pending = [.. task.PendingDependencies.Where(id => !string.Equals(id, finished.DependencyId, StringComparison.Ordinal))];
        return pending.Length == 0
            ? TaskTransition.Applied(task with { Status = OeeTaskStatus.Queued, PendingDependencies = [] }, TaskEffects.Enqueue)
            : TaskTransition.Applied(task with { PendingDependencies = pending }, TaskEffects.None);
    }

    /// <summary>
    /// Remembers new dependents while the task is unfinished. A finished task remembers none: its
    /// answer tells a new dependent how it ended.
    /// </summary>
    public static TaskTransition ApplyAddDependents(TaskRecord task, TaskCommand.AddDependents add)
    {
        if (task.Status.IsFinal())
        {
            return TaskTransition.Unchanged(task);
        }

        string[] added = [.. NotYetKnown(task.Dependents, add.Ids)];
        return added.Length == 0
            ? TaskTransition.Unchanged(task)
            : TaskTransition.Applied(task with { Dependents = [.. task.Dependents, .. added] }, TaskEffects.None);
    }

    /// <summary>
    /// The ids of <paramref name="ids"/> not among <paramref name="known"/>, each once, in their order. A dependent
    /// registering itself (one id) is looked for by a scan: a root with a thousand dependents, asked by each of them,
    /// would otherwise build a set of a thousand entries a thousand times.
    /// </summary>
    private static IEnumerable<string> NotYetKnown(string[] known, string[] ids)
    {
        if (ids.Length == 1)
        {
            return Array.IndexOf(known, ids[0]) < 0 ? ids : [];
        }

        var seen = new HashSet<string>(known, StringComparer.Ordinal);
        return ids.Where(seen.Add);
    }

    private static string Reason(TaskRecord task, TaskCommand.DependencyFinished finished) => finished.Status is { } status
        ? $"Dependency '{finished.DependencyId}' ended {status.ToWireName()}, so task '{task.Id}' was cancelled (submit it with runOnDependencyFailure to run anyway)."
        : $"Dependency '{finished.DependencyId}' no longer exists (removed before task '{task.Id}' learned how it ended), so task '{task.Id}' was cancelled.";
}
