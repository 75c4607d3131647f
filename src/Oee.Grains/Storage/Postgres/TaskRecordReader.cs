using System.Threading.Channels;
using Npgsql;

namespace Oee.Grains.Storage.Postgres;

/// <summary>
/// Group reads of task records, for activations: the reads asked for while one query is in flight
/// go together as the next (<c>id = ANY(...)</c>, one round trip), so that a backlog coming back to
/// life (a resumed queue, a restarted cluster) does not cost a query per task; an idle silo reads a
/// lone record at once. A read sees every write committed before it was asked for.
/// </summary>
internal sealed class TaskRecordReader : IAsyncDisposable
{
    /// <summary>The most records one query reads.</summary>
    public const int MaxBatch = 256;

    private readonly Channel<PendingRecordRead> pending =
        Channel.CreateUnbounded<PendingRecordRead>(new UnboundedChannelOptions { SingleReader = true });

    private readonly PostgresDatabase database;
    private readonly Task loop;

    public TaskRecordReader(PostgresDatabase database)
    {
        this.database = database;
        loop = Task.Run(RunAsync);
    }

    /// <summary>The stored record's bytes and version, or null when the task has no record.</summary>
    public Task<StoredRecordRow?> Read(string id)
    {
        var read = new PendingRecordRead(id);
        if (!pending.Writer.TryWrite(read))
        {
            read.Done.SetException(new ObjectDisposedException(nameof(TaskRecordReader), "The task record reader is stopped; the silo is shutting down."));
        }

        return read.Done.Task;
    }

    public async ValueTask DisposeAsync()
    {
        pending.Writer.TryComplete();
        await loop.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var batch = new List<PendingRecordRead>(MaxBatch);
        while (await pending.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < MaxBatch && pending.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            try
            {
                var rows = await Query(batch).ConfigureAwait(false);
                foreach (var read in batch)
                {
                    read.Done.TrySetResult(rows.TryGetValue(read.Id, out var row) ? row : null);
                }
            }
            catch (Exception ex)
            {
                foreach (var read in batch)
                {
                    read.Done.TrySetException(ex);
                }
            }

            batch.Clear();
        }
    }

    private async Task<Dictionary<string, StoredRecordRow>> Query(List<PendingRecordRead> batch)
    {
        await using var command = database.DataSource.CreateCommand("SELECT id, payload, version FROM oee_task_record WHERE service_id = $1 AND id = ANY($2)");
        command.Parameters.Add(new NpgsqlParameter { Value = database.ServiceId });
        command.Parameters.Add(new NpgsqlParameter { Value = batch.Select(r => r.Id).Distinct(StringComparer.Ordinal).ToArray() });
        var rows = new Dictionary<string, StoredRecordRow>(batch.Count, StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            rows[reader.GetString(0)] = new StoredRecordRow(reader.GetFieldValue<byte[]>(1), reader.GetInt32(2));
        }

        return rows;
    }

    private sealed record PendingRecordRead(string Id)
    {
        public TaskCompletionSource<StoredRecordRow?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>A task record's row as read: the serialized record and its version (the ETag).</summary>
internal sealed record StoredRecordRow(byte[] Payload, int Version);
