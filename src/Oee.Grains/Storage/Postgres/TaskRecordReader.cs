using Npgsql;

namespace Oee.Grains.Storage.Postgres;

/// <summary>
/// Group reads of task records, for activations: the reads asked for while one query is in flight
/// go together as the next (<c>id = ANY(...)</c>, one round trip; <see cref="GroupCommit{T, TResult}"/>),
/// so that a backlog coming back to life (a resumed queue, a restarted cluster) does not cost a query
/// per task; an idle silo reads a lone record at once. A read sees every write committed before it was asked for.
/// </summary>
internal sealed class TaskRecordReader(PostgresDatabase database) : IAsyncDisposable
{
    /// <summary>The most records one query reads.</summary>
    public const int MaxBatch = 256;

    private readonly GroupCommit<string, StoredRecordRow?> reads = new(ids => database.Read(Query, ids), MaxBatch);

    /// <summary>The stored record's bytes and version, or null when the task has no record.</summary>
    public Task<StoredRecordRow?> Read(string id) => reads.Add(id);

    public ValueTask DisposeAsync() => reads.DisposeAsync();

    private static async Task<IReadOnlyList<StoredRecordRow?>> Query(PostgresDatabase database, IReadOnlyList<string> ids)
    {
        await using var command = database.DataSource.CreateCommand("SELECT id, payload, version FROM oee_task_record WHERE service_id = $1 AND id = ANY($2)");
        command.Parameters.Add(new NpgsqlParameter { Value = database.ServiceId });
        command.Parameters.Add(new NpgsqlParameter { Value = ids.Distinct(StringComparer.Ordinal).ToArray() });
        var rows = new Dictionary<string, StoredRecordRow>(ids.Count, StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync().ConfigureAwait(false))
        {
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                rows[reader.GetString(0)] = new StoredRecordRow(reader.GetFieldValue<byte[]>(1), reader.GetInt32(2));
            }
        }

        return [.. ids.Select(id => rows.GetValueOrDefault(id))];
    }
}

/// <summary>A task record's row as read: the serialized record and its version (the ETag).</summary>
internal sealed record StoredRecordRow(byte[] Payload, int Version);
