using Microsoft.Extensions.Options;
using Oee.Grains.Configuration;
using Oee.Grains.Contracts;
using Oee.Grains.Storage;

namespace Oee.Grains.Tasks;

/// <summary>The cluster-wide entry point for listings, counts and clean-up; runs on the caller's silo.</summary>
[StatelessWorker]
internal sealed class TaskIndexGrain(ITaskIndex index, IGrainFactory grains, IOptions<OeeOptions> options) : Grain, ITaskIndexGrain
{
    Task<TaskPage> ITaskIndexGrain.Query(TaskQuery query, CancellationToken cancellationToken) => index.Query(query);

    Task<Dictionary<OeeTaskStatus, long>> ITaskIndexGrain.GetCounts(CancellationToken cancellationToken) => index.CountByStatus();

    Task<int> ITaskIndexGrain.ClearFinished(DateTimeOffset? finishedBefore, int max, CancellationToken cancellationToken) =>
        FinishedTaskPurge.Run(index, grains, status: null, finishedBefore, options.Value.ClearBatchSize, max, FinishedTaskPurge.RequestedParallelism, cancellationToken);
}
