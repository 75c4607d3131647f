using Oee.Grains.Contracts;
using Orleans.CodeGeneration;

namespace Oee.Grains.Storage.Memory;

/// <summary>One shard of memory mode's task records and index (key: shard number).</summary>
[Version(1)]
[Alias("oee.task-shard")]
internal interface ITaskIndexShardGrain : IGrainWithIntegerKey
{
    [Alias("get"), ReadOnly]
    Task<TaskRecord?> Get(string taskId);

    /// <summary>
    /// Stores each record whose expected version matches; answers, in order, which were stored. The
    /// batch is passed as <see cref="Immutable{T}"/>: a shard on the writer's silo takes the records
    /// without a deep copy (three per task). Safe because neither side changes a record once written:
    /// task grains replace theirs (<c>with</c>), the shard keeps its own compact form.
    /// </summary>
    [Alias("store-shared")]
    Task<bool[]> Store(Immutable<List<TaskRecordWrite>> writes);

    [Alias("remove")]
    Task<bool> Remove(string taskId, long expectedVersion);

    [Alias("forget")]
    Task Forget(string taskId);

    [Alias("query"), ReadOnly]
    Task<List<TaskSummary>> Query(TaskQuery query, int take);

    [Alias("find-finished"), ReadOnly]
    Task<List<string>> FindFinished(OeeTaskStatus? status, DateTimeOffset? finishedBefore, int max);

    [Alias("counts"), ReadOnly]
    Task<Dictionary<OeeTaskStatus, long>> CountByStatus();
}

/// <summary>A record to store if the shard holds <see cref="ExpectedVersion"/> of it (0: none).</summary>
[GenerateSerializer, Alias("oee.task-record-write")]
internal readonly record struct TaskRecordWrite([property: Id(0)] TaskRecord Record, [property: Id(1)] long ExpectedVersion);
