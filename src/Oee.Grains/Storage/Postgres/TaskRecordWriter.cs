using Oee.Grains.Contracts;

namespace Oee.Grains.Storage.Postgres;

/// <summary>
/// Group commit of task records: the writes of many task grains on this silo are gathered and
/// written in one statement and one transaction with their index summaries (<see cref="TaskRecordBatch"/>), each row still
/// checked against the version its grain holds. One batch is in flight at a time; the next one
/// forms while it is written (<see cref="GroupCommit{T, TResult}"/>), so an idle silo writes a lone record at once (no timer) and a busy
/// one shares a commit between up to <see cref="MaxBatch"/> records. A write completes only once its
/// row is committed: with its new version, or failed alone when its version was stale
/// (<see cref="Write"/>'s result is then null), or failed with the database's error together with
/// its whole batch. Two writes of one task never share a batch (the later one waits for the next).
/// </summary>
internal sealed class TaskRecordWriter(PostgresDatabase database) : IAsyncDisposable
{
    /// <summary>The most records one batch carries.</summary>
    public const int MaxBatch = 256;

    private readonly GroupCommit<PendingRecordWrite, int?> writes = new(batch => WriteBatch(database, batch), MaxBatch, oneInABatchBy: w => w.Id);

    /// <summary>
    /// Writes a task's record (serialized) and its index summary when the stored row still has version
    /// <paramref name="expectedVersion"/> (null: no row may exist yet). Completes with the row's new
    /// version once committed, or null when the stored version differs; faults when the batch failed.
    /// With <paramref name="entry"/> (a new task only), its queue entry is written in the same
    /// transaction when, and only when, the record is.
    /// </summary>
    public Task<int?> Write(string id, byte[] payload, int? expectedVersion, TaskSummary summary, NewQueueEntry? entry = null) =>
        writes.Add(new PendingRecordWrite(id, payload, expectedVersion, summary, entry));

    /// <summary>The batches written so far (each one transaction), for tests and diagnostics.</summary>
    public long Batches => writes.Batches;

    public ValueTask DisposeAsync() => writes.DisposeAsync();

    private static async Task<IReadOnlyList<int?>> WriteBatch(PostgresDatabase database, IReadOnlyList<PendingRecordWrite> batch)
    {
        var written = await TaskRecordBatch.ExecuteAsync(database, batch).ConfigureAwait(false);
        return [.. batch.Select(write => written.TryGetValue(write.Id, out var version) ? version : (int?)null)];
    }
}

/// <summary>One grain's record write waiting for its batch (with a new task's queue entry, or null).</summary>
internal sealed record PendingRecordWrite(string Id, byte[] Payload, int? ExpectedVersion, TaskSummary Summary, NewQueueEntry? Entry = null);

/// <summary>A new task's entry in its queue, written with the task's first record.</summary>
internal sealed record NewQueueEntry(string Queue, Queues.QueueEntry Entry);
