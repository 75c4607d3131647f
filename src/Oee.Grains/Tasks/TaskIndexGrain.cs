using Microsoft.Extensions.Options;
using Oee.Grains.Configuration;
using Oee.Grains.Contracts;
using Oee.Grains.Storage;

namespace Oee.Grains.Tasks;

/// <summary>The cluster-wide entry point for listings, counts and clean-up; runs on the caller's silo.</summary>
[StatelessWorker]
internal sealed class TaskIndexGrain(ITaskIndex index, IGrainFactory grains, IOptions<OeeOptions> options) : Grain, ITaskIndexGrain
{
    private const int PurgeParallelism = 64;

    Task<TaskPage> ITaskIndexGrain.Query(TaskQuery query, CancellationToken cancellationToken) => index.Query(query);

    Task<Dictionary<OeeTaskStatus, long>> ITaskIndexGrain.GetCounts(CancellationToken cancellationToken) => index.CountByStatus();

    async Task<int> ITaskIndexGrain.ClearFinished(DateTimeOffset? finishedBefore, int max, CancellationToken cancellationToken)
    {
        var removed = 0;
        while (removed < max)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var candidates = await index.FindFinished(finishedBefore, options.Value.ClearBatchSize);
            if (candidates.Count == 0)
            {
                return removed;
            }

            var purgedThisRound = 0;
            foreach (var chunk in candidates.Chunk(PurgeParallelism))
            {
                var results = await Task.WhenAll(chunk.Select(id => grains.GetGrain<ITaskEngineGrain>(id).Purge(finishedBefore)));
                purgedThisRound += results.Count(r => r);
            }

            removed += purgedThisRound;

            // A round that removed nothing would find the same candidates again: stop.
            if (purgedThisRound == 0)
            {
                return removed;
            }
        }

        return removed;
    }
}
