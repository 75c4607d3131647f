using Oee.Grains.Contracts;

namespace Oee.Grains.Catalog;

/// <summary>
/// Holds one shard of the in-memory index. Kept active for the silo's life (memory mode has no
/// other copy of the index), so it is never collected while idle.
/// </summary>
internal sealed class TaskIndexShardGrain : Grain, ITaskIndexShardGrain
{
    private readonly TaskIndexShard shard = new();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        DelayDeactivation(TimeSpan.FromDays(3650));
        return Task.CompletedTask;
    }

    Task ITaskIndexShardGrain.Record(List<TaskSummary> summaries)
    {
        foreach (var summary in summaries)
        {
            shard.Record(summary);
        }

        return Task.CompletedTask;
    }

    Task ITaskIndexShardGrain.Forget(string taskId)
    {
        shard.Forget(taskId);
        return Task.CompletedTask;
    }

    Task<List<TaskSummary>> ITaskIndexShardGrain.Query(TaskQuery query, int take)
    {
        TaskCursor.TryDecode(query.Cursor, out var cursor);
        return Task.FromResult(shard.Query(query, query.Cursor is null ? null : cursor, take));
    }

    Task<List<string>> ITaskIndexShardGrain.FindFinished(DateTimeOffset? finishedBefore, int max) =>
        Task.FromResult(shard.FindFinished(finishedBefore, max));

    Task<Dictionary<OeeTaskStatus, long>> ITaskIndexShardGrain.CountByStatus() => Task.FromResult(shard.CountByStatus());
}
