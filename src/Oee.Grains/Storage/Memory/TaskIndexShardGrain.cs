using Oee.Grains.Contracts;

namespace Oee.Grains.Storage.Memory;

/// <summary>
/// Holds one shard of memory mode's task records. Kept active for the silo's life (memory mode has
/// no other copy of the records), so it is never collected while idle.
/// </summary>
internal sealed class TaskIndexShardGrain : Grain, ITaskIndexShardGrain
{
    private readonly TaskIndexShard shard = new();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        DelayDeactivation(Timeout.InfiniteTimeSpan);
        return Task.CompletedTask;
    }

    Task<TaskRecord?> ITaskIndexShardGrain.Get(string taskId) => Task.FromResult(shard.Get(taskId));

    Task<bool[]> ITaskIndexShardGrain.Store(Immutable<List<TaskRecordWrite>> batch)
    {
        var writes = batch.Value;
        var stored = new bool[writes.Count];
        for (var i = 0; i < writes.Count; i++)
        {
            stored[i] = shard.Store(writes[i].Record, writes[i].ExpectedVersion);
        }

        return Task.FromResult(stored);
    }

    Task<bool> ITaskIndexShardGrain.Remove(string taskId, long expectedVersion) => Task.FromResult(shard.Remove(taskId, expectedVersion));

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

    Task<List<string>> ITaskIndexShardGrain.FindFinished(OeeTaskStatus? status, DateTimeOffset? finishedBefore, int max) =>
        Task.FromResult(shard.FindFinished(status, finishedBefore, max));

    Task<Dictionary<OeeTaskStatus, long>> ITaskIndexShardGrain.CountByStatus() => Task.FromResult(shard.CountByStatus());
}
