using Oee.Grains.Contracts;

namespace Oee.Grains.Catalog;

/// <summary>
/// The silo-side index of all tasks: what listings, counts and clean-up read. Each task grain
/// records its summary after every transition; a summary older than the one held is ignored.
/// Memory mode keeps it in sharded grains; durable mode keeps it in a database table.
/// </summary>
internal interface ITaskCatalog
{
    Task Record(TaskSummary summary);

    Task Forget(string taskId);

    Task<TaskPage> Query(TaskQuery query);

    /// <summary>Up to <paramref name="max"/> ids per shard of finished tasks, completed at or before the cutoff when given.</summary>
    Task<IReadOnlyList<string>> FindFinished(DateTimeOffset? finishedBefore, int max);

    Task<Dictionary<OeeTaskStatus, long>> CountByStatus();
}
