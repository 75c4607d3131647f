using Orleans.CodeGeneration;

namespace Oee.Grains.Contracts;

/// <summary>Cluster-wide queries over all tasks: listing, counts and clean-up (a stateless entry point).</summary>
[Version(1)]
[Alias("oee.task-index")]
public interface ITaskIndexGrain : IGrainWithIntegerKey
{
    /// <summary>One page of tasks matching the query, newest first.</summary>
    [Alias("query"), ReadOnly]
    Task<TaskPage> Query(TaskQuery query, CancellationToken cancellationToken = default);

    /// <summary>Tasks per status.</summary>
    [Alias("counts"), ReadOnly]
    Task<Dictionary<OeeTaskStatus, long>> GetCounts(CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes up to about <paramref name="max"/> finished tasks (done, error, cancelled), only those
    /// finished at or before the cutoff when given; returns how many. Call again until it returns 0:
    /// one call stays well inside a client's response timeout.
    /// </summary>
    [Alias("clear-finished")]
    Task<int> ClearFinished(DateTimeOffset? finishedBefore, int max, CancellationToken cancellationToken = default);
}
