using System.Threading.Channels;
using Oee.Grains.Contracts;

namespace Oee.Grains.Storage.Postgres;

/// <summary>
/// Group commit of task records: the writes of many task grains on this silo are gathered and
/// written in one statement and one transaction with their index summaries (<see cref="TaskRecordBatch"/>), each row still
/// checked against the version its grain holds. One batch is in flight at a time; the next one
/// forms while it is written, so an idle silo writes a lone record at once (no timer) and a busy
/// one shares a commit between up to <see cref="MaxBatch"/> records. A write completes only once its
/// row is committed: with its new version, or failed alone when its version was stale
/// (<see cref="Write"/>'s result is then null), or failed with the database's error together with
/// its whole batch. Two writes of one task never share a batch (the later one waits for the next).
/// </summary>
internal sealed class TaskRecordWriter : IAsyncDisposable
{
    /// <summary>The most records one batch carries.</summary>
    public const int MaxBatch = 256;

    private readonly Channel<PendingRecordWrite> pending =
        Channel.CreateUnbounded<PendingRecordWrite>(new UnboundedChannelOptions { SingleReader = true });

    private readonly PostgresDatabase database;
    private readonly Task loop;
    private long batches;

    public TaskRecordWriter(PostgresDatabase database)
    {
        this.database = database;
        loop = Task.Run(RunAsync);
    }

    /// <summary>
    /// Writes a task's record (serialized) and its index summary when the stored row still has version
    /// <paramref name="expectedVersion"/> (null: no row may exist yet). Completes with the row's new
    /// version once committed, or null when the stored version differs; faults when the batch failed.
    /// </summary>
    public Task<int?> Write(string id, byte[] payload, int? expectedVersion, TaskSummary summary)
    {
        var write = new PendingRecordWrite(id, payload, expectedVersion, summary);
        if (!pending.Writer.TryWrite(write))
        {
            write.Done.SetException(new ObjectDisposedException(nameof(TaskRecordWriter), "The task record writer is stopped; the silo is shutting down."));
        }

        return write.Done.Task;
    }

    /// <summary>The batches written so far (each one transaction), for tests and diagnostics.</summary>
    public long Batches => Interlocked.Read(ref batches);

    public async ValueTask DisposeAsync()
    {
        pending.Writer.TryComplete();
        await loop.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var batch = new List<PendingRecordWrite>(MaxBatch);
        var ids = new HashSet<string>(StringComparer.Ordinal);

        // Writes of a task already in the batch being formed wait here for the next one, in order.
        var deferred = new Queue<PendingRecordWrite>();
        while (deferred.Count > 0 || await pending.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            for (var carried = deferred.Count; carried > 0 && batch.Count < MaxBatch; carried--)
            {
                Take(deferred.Dequeue());
            }

            while (batch.Count < MaxBatch && pending.Reader.TryRead(out var next))
            {
                Take(next);
            }

            if (batch.Count > 0)
            {
                await WriteBatch(batch).ConfigureAwait(false);
            }

            batch.Clear();
            ids.Clear();
        }

        void Take(PendingRecordWrite write)
        {
            if (ids.Add(write.Id))
            {
                batch.Add(write);
            }
            else
            {
                deferred.Enqueue(write);
            }
        }
    }

    private async Task WriteBatch(List<PendingRecordWrite> batch)
    {
        try
        {
            Interlocked.Increment(ref batches);
            var written = await TaskRecordBatch.ExecuteAsync(database, batch).ConfigureAwait(false);
            foreach (var write in batch)
            {
                write.Done.TrySetResult(written.TryGetValue(write.Id, out var version) ? version : null);
            }
        }
        catch (Exception ex)
        {
            foreach (var write in batch)
            {
                write.Done.TrySetException(ex);
            }
        }
    }
}

/// <summary>One grain's record write waiting for its batch.</summary>
internal sealed record PendingRecordWrite(string Id, byte[] Payload, int? ExpectedVersion, TaskSummary Summary)
{
    public TaskCompletionSource<int?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
