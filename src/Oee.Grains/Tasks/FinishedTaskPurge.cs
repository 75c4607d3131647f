using Oee.Grains.Cluster;
using Oee.Grains.Contracts;
using Oee.Grains.Storage;

namespace Oee.Grains.Tasks;

/// <summary>
/// Removes finished tasks in steps: finds up to a step's worth in the index, asks each task grain to
/// purge itself (it checks again that it is finished and old enough), and repeats. Shared by the
/// clean-up a user asks for and the retention sweep.
/// </summary>
internal static class FinishedTaskPurge
{
    /// <summary>How many tasks a clean-up a user asks for removes at once.</summary>
    public const int RequestedParallelism = 64;

    /// <summary>Removes up to about <paramref name="max"/> tasks of the status (or every final one) finished at or before the cutoff; returns how many.</summary>
    public static async Task<int> Run(
        ITaskIndex index,
        IGrainFactory grains,
        OeeTaskStatus? status,
        DateTimeOffset? finishedBefore,
        int stepSize,
        int max,
        int parallelism,
        CancellationToken cancellationToken)
    {
        var removed = 0;
        while (removed < max)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var candidates = await index.FindFinished(status, finishedBefore, Math.Min(stepSize, max - removed));
            if (candidates.Count == 0)
            {
                return removed;
            }

            var purgedThisStep = 0;
            foreach (var chunk in candidates.Chunk(parallelism))
            {
                var results = await Task.WhenAll(chunk.Select(id => grains.Reference<ITaskEngineGrain>(id).Purge(finishedBefore)));
                purgedThisStep += results.Count(r => r);
            }

            removed += purgedThisStep;

            // A step that removed nothing would find the same candidates again: stop.
            if (purgedThisStep == 0)
            {
                return removed;
            }
        }

        return removed;
    }
}
