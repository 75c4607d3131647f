using Microsoft.Extensions.Options;
using Oee.Grains.Contracts;
using Oee.Grains.Hosting;
using Oee.Grains.Persistence;

namespace Oee.Grains.Catalog;

/// <summary>
/// Memory-mode catalog: summaries live in <see cref="OeeOptions.IndexShards"/> shard grains,
/// chosen by a stable hash of the task id; queries ask every shard and merge. Records reach each
/// shard by group commit (one call carries whatever gathered while the previous one was in flight).
/// </summary>
internal sealed class GrainTaskCatalog : ITaskCatalog, IAsyncDisposable
{
    private const int MaxBatch = 256;

    private readonly IGrainFactory grains;
    private readonly int shards;
    private readonly GroupCommit<TaskSummary>[] records;

    public GrainTaskCatalog(IGrainFactory grains, IOptions<OeeOptions> options)
    {
        this.grains = grains;
        shards = options.Value.IndexShards;
        records = [.. Enumerable.Range(0, shards).Select(i => new GroupCommit<TaskSummary>(batch => grains.GetGrain<ITaskIndexShardGrain>(i).Record([.. batch]), MaxBatch))];
    }

    public Task Record(TaskSummary summary) => records[StableHash.Bucket(summary.Id, shards)].Add(summary);

    public async ValueTask DisposeAsync()
    {
        foreach (var commit in records)
        {
            await commit.DisposeAsync();
        }
    }

    public Task Forget(string taskId) => Shard(taskId).Forget(taskId);

    public async Task<TaskPage> Query(TaskQuery query)
    {
        // Ask each shard for one more than the page so that we know whether another page exists.
        var take = query.Limit + 1;
        var parts = await Task.WhenAll(AllShards().Select(s => s.Query(query, take)));
        var merged = parts.SelectMany(p => p).Order(NewestFirstOrder.Instance).Take(take).ToList();
        return TaskPages.From(merged, query.Limit);
    }

    public async Task<IReadOnlyList<string>> FindFinished(DateTimeOffset? finishedBefore, int max)
    {
        var parts = await Task.WhenAll(AllShards().Select(s => s.FindFinished(finishedBefore, max)));
        return [.. parts.SelectMany(p => p)];
    }

    public async Task<Dictionary<OeeTaskStatus, long>> CountByStatus()
    {
        var parts = await Task.WhenAll(AllShards().Select(s => s.CountByStatus()));
        return OeeTaskStatusExtensions.All.ToDictionary(s => s, s => parts.Sum(p => p.GetValueOrDefault(s)));
    }

    private ITaskIndexShardGrain Shard(string taskId) => grains.GetGrain<ITaskIndexShardGrain>(StableHash.Bucket(taskId, shards));

    private IEnumerable<ITaskIndexShardGrain> AllShards() =>
        Enumerable.Range(0, shards).Select(i => grains.GetGrain<ITaskIndexShardGrain>(i));
}
