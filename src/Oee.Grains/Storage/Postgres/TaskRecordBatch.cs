using Npgsql;

namespace Oee.Grains.Storage.Postgres;

/// <summary>
/// One batch of task record writes as one statement, one round trip and one transaction: every record
/// whose version check holds is written (an update of the rows still at the version their grain names,
/// an insert of the new tasks that have no row yet), and the index summaries of exactly those records are
/// upserted with them (<see cref="PostgresTaskIndex"/>, newer version wins). A write whose check fails
/// changes nothing, its summary included.
/// </summary>
internal static class TaskRecordBatch
{
    /// <summary>Writes the batch (ids distinct); returns the new version of each record written.</summary>
    public static async Task<Dictionary<string, int>> ExecuteAsync(PostgresDatabase database, IReadOnlyList<PendingRecordWrite> writes)
    {
        // In id order, so that two silos' batches touching the same rows tend to lock them in the same order.
        var rows = writes.OrderBy(w => w.Id, StringComparer.Ordinal).ToList();
        await using var command = database.DataSource.CreateCommand();

        // The index upsert's parameters come first ($1 = the service id, shared); the records' follow.
        PostgresTaskIndex.AddUpsertParameters(command.Parameters, database.ServiceId, rows.Select(r => r.Summary));
        var ids = command.Parameters.Count + 1;
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Id).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Payload).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.ExpectedVersion).ToArray() });

        // A stale version matches no row, and a new task whose row exists inserts nothing: either way
        // the write is missing from "written", and fails alone.
        command.CommandText = $"""
            WITH input AS (
                SELECT * FROM unnest(${ids}::text[], ${ids + 1}::bytea[], ${ids + 2}::int[]) AS i(id, payload, expected)
            ),
            updated AS (
                UPDATE oee_task_record r
                   SET payload = i.payload, version = r.version + 1
                  FROM input i
                 WHERE r.service_id = $1 AND r.id = i.id AND r.version = i.expected
                RETURNING r.id, r.version
            ),
            inserted AS (
                INSERT INTO oee_task_record (service_id, id, payload, version)
                SELECT $1, i.id, i.payload, 1 FROM input i WHERE i.expected IS NULL
                ON CONFLICT (service_id, id) DO NOTHING
                RETURNING id, version
            ),
            written AS (
                SELECT id, version FROM updated
                UNION ALL
                SELECT id, version FROM inserted
            ),
            indexed AS (
                {PostgresTaskIndex.UpsertStatement("SELECT id FROM written")}
            )
            SELECT id, version FROM written
            """;

        var written = new Dictionary<string, int>(rows.Count, StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            written[reader.GetString(0)] = reader.GetInt32(1);
        }

        return written;
    }
}
