using Oee.Grains.Contracts;

namespace Oee.Grains.Catalog;

/// <summary>One shard of the in-memory task index (key: shard number).</summary>
[Alias("oee.task-index-shard")]
internal interface ITaskIndexShardGrain : IGrainWithIntegerKey
{
    [Alias("record")]
    Task Record(List<TaskSummary> summaries);

    [Alias("forget")]
    Task Forget(string taskId);

    [Alias("query"), ReadOnly]
    Task<List<TaskSummary>> Query(TaskQuery query, int take);

    [Alias("find-finished"), ReadOnly]
    Task<List<string>> FindFinished(DateTimeOffset? finishedBefore, int max);

    [Alias("counts"), ReadOnly]
    Task<Dictionary<OeeTaskStatus, long>> CountByStatus();
}
