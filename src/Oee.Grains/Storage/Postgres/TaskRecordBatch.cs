using Npgsql;

namespace Oee.Grains.Storage.Postgres;

/// <summary>
/// One batch of task record writes as one statement, one round trip and one transaction: every record
/// whose version check holds is written (an update of the rows still at the version their grain names,
/// an insert of the new tasks that have no row yet), and the index summaries of exactly those records are
/// upserted with them (<see cref="PostgresTaskIndex"/>, newer version wins), and so are the queue entries
/// of exactly the new tasks written (<see cref="PendingRecordWrite.Entry"/>). A write whose check fails
/// changes nothing, its summary and entry included.
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
        var entries = QueueEntriesStatement(command.Parameters, rows);

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
            ){entries}
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

    /// <summary>
    /// The statement's part for new tasks' queue entries (empty when the batch has none): each entry is
    /// inserted only when its task's record was (so a failed record write leaves no entry behind), and
    /// each queue's next sequence moves past the entries' numbers, as the queue's own writes keep it
    /// (<see cref="PostgresQueueStore"/>). Queues in name order, so that concurrent batches lock their rows alike.
    /// </summary>
    private static string QueueEntriesStatement(NpgsqlParameterCollection parameters, List<PendingRecordWrite> rows)
    {
        var news = rows.Where(r => r.Entry is not null).Select(r => r.Entry!).ToList();
        if (news.Count == 0)
        {
            return "";
        }

        var first = parameters.Count + 1;
        parameters.Add(new NpgsqlParameter { Value = news.Select(n => n.Queue).ToArray() });
        parameters.Add(new NpgsqlParameter { Value = news.Select(n => n.Entry.TaskId).ToArray() });
        parameters.Add(new NpgsqlParameter { Value = news.Select(n => (short)n.Entry.Priority).ToArray() });
        parameters.Add(new NpgsqlParameter { Value = news.Select(n => n.Entry.Sequence).ToArray() });
        parameters.Add(new NpgsqlParameter { Value = news.Select(n => n.Entry.ConcurrencyKey).ToArray() });
        parameters.Add(new NpgsqlParameter { Value = news.Select(n => n.Entry.WaitingSince).ToArray() });
        return "," + $"""

            entry_input AS (
                SELECT e.* FROM unnest(${first}::text[], ${first + 1}::text[], ${first + 2}::smallint[], ${first + 3}::bigint[], ${first + 4}::text[], ${first + 5}::timestamptz[])
                       AS e(queue, task_id, priority, sequence, concurrency_key, waiting_since)
                 WHERE e.task_id IN (SELECT id FROM written)
            ),
            entries AS (
                INSERT INTO oee_queue_entry (service_id, queue, task_id, priority, sequence, concurrency_key, waiting_since, due_at)
                SELECT $1, e.queue, e.task_id, e.priority, e.sequence, e.concurrency_key, e.waiting_since, NULL FROM entry_input e
                ON CONFLICT (service_id, queue, task_id) DO NOTHING
            ),
            sequences AS (
                INSERT INTO oee_queue (service_id, queue, next_sequence)
                SELECT $1, e.queue, max(e.sequence) + 1 FROM entry_input e GROUP BY e.queue ORDER BY e.queue
                ON CONFLICT (service_id, queue) DO UPDATE SET next_sequence = greatest(oee_queue.next_sequence, excluded.next_sequence)
            )
            """;
    }
}
