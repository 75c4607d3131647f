using System.Globalization;
using Microsoft.Extensions.Options;
using Oee.Grains.Cluster;
using Oee.Grains.Configuration;
using Oee.Grains.Contracts;
using Oee.Grains.Storage;
using Oee.Grains.Tasks;
using Orleans.Runtime;
using Orleans.Storage;

namespace Oee.Grains.Storage.Memory;

/// <summary>
/// Memory mode's task store and index in one: records live in <see cref="OeeOptions.IndexShards"/>
/// shard grains, chosen by a stable hash of the task id, each record once (a task costs one copy,
/// not a stored record plus an index summary). Writes reach each shard by group commit (one call
/// carries whatever gathered while the previous one was in flight); queries ask every shard and
/// merge. The ETag is the record's version.
/// </summary>
internal sealed class MemoryTaskStore : ITaskIndex, ITaskStore, IAsyncDisposable
{
    private const int MaxBatch = 256;

    private readonly IGrainFactory grains;
    private readonly int shards;
    private readonly GroupCommit<TaskRecordWrite, string?>[] writes;

    public MemoryTaskStore(IGrainFactory grains, IOptions<OeeOptions> options)
    {
        this.grains = grains;
        shards = options.Value.IndexShards;
        writes = [.. Enumerable.Range(0, shards).Select(i => new GroupCommit<TaskRecordWrite, string?>(
            batch => StoreBatch(Shard(i), batch),
            MaxBatch,
            refusedAs: static (write, etag) => etag is null ? Conflict(write.Record.Id, write.ExpectedVersion == 0 ? null : ETagOf(write.ExpectedVersion)) : null))];
    }

    public async Task<StoredTask> Read(GrainId task)
    {
        var id = task.Key.ToString()!;
        var record = await Shard(id).Get(id);
        return new StoredTask(record, record is null ? null : ETagOf(record.Version));
    }

    /// <summary>The group commit's own task (a refused write faults with the conflict): no async layer per write.</summary>
    public Task<string> Write(GrainId task, TaskRecord record, string? etag) =>
        writes[Bucket(record.Id)].Add(new TaskRecordWrite(record, VersionOf(etag)))!;

    public async Task<string?> Delete(GrainId task, string? etag)
    {
        var id = task.Key.ToString()!;
        return await Shard(id).Remove(id, VersionOf(etag)) ? null : throw Conflict(id, etag);
    }

    /// <summary>Nothing to do: the record is its own index entry.</summary>
    public Task Reindex(TaskRecord record) => Task.CompletedTask;

    public Task Forget(string taskId) => Shard(taskId).Forget(taskId);

    public async Task<TaskPage> Query(TaskQuery query)
    {
        // Ask each shard for one more than the page so that we know whether another page exists.
        var take = query.Limit + 1;
        var parts = await Task.WhenAll(AllShards().Select(s => s.Query(query, take)));
        var merged = parts.SelectMany(p => p).Order(NewestFirstOrder.Instance).Take(take).ToList();
        return TaskPages.From(merged, query.Limit);
    }

    public async Task<IReadOnlyList<string>> FindFinished(OeeTaskStatus? status, DateTimeOffset? finishedBefore, int max)
    {
        var parts = await Task.WhenAll(AllShards().Select(s => s.FindFinished(status, finishedBefore, max)));
        return [.. parts.SelectMany(p => p)];
    }

    public async Task<Dictionary<OeeTaskStatus, long>> CountByStatus()
    {
        var parts = await Task.WhenAll(AllShards().Select(s => s.CountByStatus()));
        return OeeTaskStatusExtensions.All.ToDictionary(s => s, s => parts.Sum(p => p.GetValueOrDefault(s)));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var commit in writes)
        {
            await commit.DisposeAsync();
        }
    }

    /// <summary>Each write's new ETag, or null when the shard refused it (another version is stored).</summary>
    private static async Task<IReadOnlyList<string?>> StoreBatch(ITaskIndexShardGrain shard, IReadOnlyList<TaskRecordWrite> batch)
    {
        // The group commit reuses its list once this call ends, also when it failed (a timeout) while the
        // message still waits for the shard: the shard gets a copy of its own.
        var stored = await shard.Store(new List<TaskRecordWrite>(batch).AsImmutable());
        var etags = new string?[stored.Length];
        for (var i = 0; i < etags.Length; i++)
        {
            etags[i] = stored[i] ? ETagOf(batch[i].Record.Version) : null;
        }

        return etags;
    }

    private static string ETagOf(long version) => version.ToString(CultureInfo.InvariantCulture);

    private static long VersionOf(string? etag) => etag is null ? 0 : long.Parse(etag, CultureInfo.InvariantCulture);

    private static InconsistentStateException Conflict(string taskId, string? etag) =>
        new($"Task '{taskId}' changed since version {etag ?? "(none)"} was read: this activation is stale.", "(newer)", etag ?? "(none)");

    private int Bucket(string taskId) => StableHash.Bucket(taskId, shards);

    private ITaskIndexShardGrain Shard(string taskId) => Shard(Bucket(taskId));

    private ITaskIndexShardGrain Shard(int bucket) => grains.Reference<ITaskIndexShardGrain>(bucket);

    private IEnumerable<ITaskIndexShardGrain> AllShards() => Enumerable.Range(0, shards).Select(Shard);
}
