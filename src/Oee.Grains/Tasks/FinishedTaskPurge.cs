using Oee.Grains.Cluster;
using Oee.Grains.Contracts;
using Oee.Grains.Storage;

namespace Oee.Grains.Tasks;

/// <summary>
/// Removes finished tasks in steps: finds up to a step's worth in the index, asks each task grain to
/// purge itself (it checks again that it is finished and old enough, and that it is no child of a task still
/// under way), and repeats. Shared by the clean-up a user asks for and the retention sweep.
/// </summary>
internal static class FinishedTaskPurge
{
    /// <summary>How many tasks a clean-up a user asks for removes at once.</summary>
    public const int RequestedParallelism = 64;

    /// <summary>
    /// Removes up to about <paramref name="max"/> tasks of the status (or every final one) finished at or before the cutoff;
    /// returns how many. A task that declines (a child of an unfinished parent, an index entry ahead of its record) is not
    /// asked again in this run, and the steps after it look past it: kept tasks at the front of the index never end a run
    /// while removable ones wait behind them.
    /// </summary>
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
        HashSet<string>? kept = null;
        while (removed < max)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var want = Math.Min(stepSize, max - removed);
            var found = await index.FindFinished(status, finishedBefore, want + (kept?.Count ?? 0));
            var candidates = kept is null ? found : [.. found.Where(id => !kept.Contains(id)).Take(want)];
            if (candidates.Count == 0)
            {
                return removed;
            }

            foreach (var chunk in candidates.Chunk(parallelism))
            {
                var results = await Task.WhenAll(chunk.Select(id => grains.Reference<ITaskEngineGrain>(id).Purge(finishedBefore)));
                for (var i = 0; i < chunk.Length; i++)
                {
                    if (results[i])
                    {
                        removed++;
                    }
                    else
                    {
                        (kept ??= new HashSet<string>(StringComparer.Ordinal)).Add(chunk[i]);
                    }
                }
            }
        }

        return removed;
    }
}
