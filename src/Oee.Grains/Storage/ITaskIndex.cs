using Oee.Grains.Contracts;

namespace Oee.Grains.Storage;

/// <summary>
/// The silo-side index of all tasks: what listings, counts and clean-up read. Kept in step with the
/// records by the task store (<see cref="ITaskStore"/>). Memory mode keeps it in the shard
/// grains that also hold the records; durable mode keeps it in a database table.
/// </summary>
internal interface ITaskIndex
{
    /// <summary>Drops a task's index entry (and, in memory mode, its record) whatever its version.</summary>
    Task Forget(string taskId);

    Task<TaskPage> Query(TaskQuery query);

    /// <summary>
    /// Up to <paramref name="max"/> ids (per shard in memory mode) of finished tasks, of one final
    /// <paramref name="status"/> or all, completed at or before the cutoff when given; the oldest first.
    /// </summary>
    Task<IReadOnlyList<string>> FindFinished(OeeTaskStatus? status, DateTimeOffset? finishedBefore, int max);

    Task<Dictionary<OeeTaskStatus, long>> CountByStatus();
}
