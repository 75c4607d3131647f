using Npgsql;
using Oee.Grains.Queues;

namespace Oee.Grains.Storage.Postgres;

/// <summary>Queue entries in <c>oee_queue_entry</c>, the next sequence in <c>oee_queue</c>; each batch is one transaction.</summary>
internal sealed class PostgresQueueStore(PostgresDatabase database) : IQueueStore
{
    public bool IsDurable => true;

    public Task<QueueSnapshot> Load(string queue, CancellationToken cancellationToken) => database.Read(LoadOnce, (queue, cancellationToken));

    private static async Task<QueueSnapshot> LoadOnce(PostgresDatabase database, (string Queue, CancellationToken CancellationToken) load)
    {
        var (queue, cancellationToken) = load;
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        long nextSequence = 0;
        await using (var command = new NpgsqlCommand("SELECT next_sequence FROM oee_queue WHERE service_id = $1 AND queue = $2", connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = database.ServiceId });
            command.Parameters.Add(new NpgsqlParameter { Value = queue });
            if (await command.ExecuteScalarAsync(cancellationToken) is long stored)
            {
                nextSequence = stored;
            }
        }

        var entries = new List<QueueEntry>();
        var loadedAt = DateTimeOffset.UtcNow;
        await using (var command = new NpgsqlCommand("SELECT task_id, priority, sequence, concurrency_key, waiting_since, due_at FROM oee_queue_entry WHERE service_id = $1 AND queue = $2", connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = database.ServiceId });
            command.Parameters.Add(new NpgsqlParameter { Value = queue });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var entry = new QueueEntry(
                    reader.GetString(0),
                    reader.GetInt16(1),
                    reader.GetInt64(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.IsDBNull(4) ? loadedAt : reader.GetFieldValue<DateTimeOffset>(4),
                    reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5));
                entries.Add(entry);
                nextSequence = Math.Max(nextSequence, entry.Sequence + 1);
            }
        }

        // The running ones among them, from the task index (few: running tasks are bounded by the queues' limits).
        var running = new HashSet<string>(StringComparer.Ordinal);
        if (entries.Count > 0)
        {
            await using var command = new NpgsqlCommand("SELECT id FROM oee_task WHERE service_id = $1 AND status = $2 AND queue = $3", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = database.ServiceId });
            command.Parameters.Add(new NpgsqlParameter { Value = (short)Contracts.OeeTaskStatus.Running });
            command.Parameters.Add(new NpgsqlParameter { Value = queue });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                running.Add(reader.GetString(0));
            }
        }

        return new QueueSnapshot(entries, nextSequence) { Running = running };
    }

    public async Task Write(string queue, IReadOnlyCollection<QueueEntry> upserts, IReadOnlyCollection<string> deletes, long nextSequence)
    {
        await using var batch = database.DataSource.CreateBatch();
        if (deletes.Count > 0)
        {
            var delete = new NpgsqlBatchCommand("DELETE FROM oee_queue_entry WHERE service_id = $1 AND queue = $2 AND task_id = ANY($3)");
            delete.Parameters.Add(new NpgsqlParameter { Value = database.ServiceId });
            delete.Parameters.Add(new NpgsqlParameter { Value = queue });
            delete.Parameters.Add(new NpgsqlParameter { Value = deletes.ToArray() });
            batch.BatchCommands.Add(delete);
        }

        if (upserts.Count > 0)
        {
            var insert = new NpgsqlBatchCommand("""
                INSERT INTO oee_queue_entry (service_id, queue, task_id, priority, sequence, concurrency_key, waiting_since, due_at)
                SELECT $1, $2, u.task_id, u.priority, u.sequence, u.concurrency_key, u.waiting_since, u.due_at
                  FROM unnest($3::text[], $4::smallint[], $5::bigint[], $6::text[], $7::timestamptz[], $8::timestamptz[]) AS u(task_id, priority, sequence, concurrency_key, waiting_since, due_at)
                ON CONFLICT (service_id, queue, task_id) DO UPDATE
                   SET priority = excluded.priority, sequence = excluded.sequence,
                       concurrency_key = excluded.concurrency_key, waiting_since = excluded.waiting_since, due_at = excluded.due_at
                """);
            insert.Parameters.Add(new NpgsqlParameter { Value = database.ServiceId });
            insert.Parameters.Add(new NpgsqlParameter { Value = queue });
            insert.Parameters.Add(new NpgsqlParameter { Value = upserts.Select(u => u.TaskId).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter { Value = upserts.Select(u => (short)u.Priority).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter { Value = upserts.Select(u => u.Sequence).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter { Value = upserts.Select(u => u.ConcurrencyKey).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter { Value = upserts.Select(u => u.WaitingSince).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter { Value = upserts.Select(u => u.DueAt).ToArray() });
            batch.BatchCommands.Add(insert);

            var sequence = new NpgsqlBatchCommand("""
                INSERT INTO oee_queue (service_id, queue, next_sequence) VALUES ($1, $2, $3)
                ON CONFLICT (service_id, queue) DO UPDATE SET next_sequence = greatest(oee_queue.next_sequence, excluded.next_sequence)
                """);
            sequence.Parameters.Add(new NpgsqlParameter { Value = database.ServiceId });
            sequence.Parameters.Add(new NpgsqlParameter { Value = queue });
            sequence.Parameters.Add(new NpgsqlParameter { Value = nextSequence });
            batch.BatchCommands.Add(sequence);
        }

        // A batch of several statements runs in one implicit transaction.
        await batch.ExecuteNonQueryAsync();
    }
}
