using Npgsql;
using NpgsqlTypes;
using Oee.Grains.Storage;
using Oee.Grains.Contracts;

namespace Oee.Grains.Storage.Postgres;

/// <summary>
/// Durable-mode task index in table <c>oee_task</c>. Summaries are upserted by group commit (one
/// statement per batch, newer version wins); listings use keyset pagination on (created_at, id).
/// </summary>
internal sealed class PostgresTaskIndex : ITaskIndex, IAsyncDisposable
{
    private const int MaxBatch = 500;
    private const char TagSeparator = '\u001f';

    // "/*only*/" marks where a caller may restrict the rows (see UpsertStatement); left as is, it is a comment.
    private const string UpsertSql = """
        INSERT INTO oee_task (service_id, id, name, handler, queue, priority, tags, status, created_at, started_at, completed_at, attempt, silo, version,
                              concurrency_key, next_run_at, dead_lettered, parent_id, tenant)
        SELECT $1, u.id, u.name, u.handler, u.queue, u.priority,
               CASE WHEN u.tags = '' THEN '{}'::text[] ELSE string_to_array(u.tags, chr(31)) END,
               u.status, u.created_at, u.started_at, u.completed_at, u.attempt, u.silo, u.version, u.concurrency_key, u.next_run_at, u.dead_lettered, u.parent_id, u.tenant
          FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::smallint[], $7::text[], $8::smallint[],
                      $9::timestamptz[], $10::timestamptz[], $11::timestamptz[], $12::int[], $13::text[], $14::bigint[], $15::text[],
                      $16::timestamptz[], $17::boolean[], $18::text[], $19::text[])
               AS u(id, name, handler, queue, priority, tags, status, created_at, started_at, completed_at, attempt, silo, version,
                    concurrency_key, next_run_at, dead_lettered, parent_id, tenant)
        /*only*/
        ON CONFLICT (service_id, id) DO UPDATE SET
               status = excluded.status, started_at = excluded.started_at, completed_at = excluded.completed_at,
               attempt = excluded.attempt, silo = excluded.silo, version = excluded.version,
               next_run_at = excluded.next_run_at, dead_lettered = excluded.dead_lettered
         WHERE oee_task.version < excluded.version
        """;

    private const string Columns = "id, name, handler, queue, priority, tags, status, created_at, started_at, completed_at, attempt, silo, version, concurrency_key, next_run_at, dead_lettered, parent_id, tenant";

    private readonly PostgresDatabase database;
    private readonly GroupCommit<TaskSummary> writes;

    public PostgresTaskIndex(PostgresDatabase database)
    {
        this.database = database;
        writes = new GroupCommit<TaskSummary>(Upsert, MaxBatch);
    }

    /// <summary>Upserts a task's summary (a newer version replaces an older one, never the reverse).</summary>
    public Task Record(TaskSummary summary) => writes.Add(summary);

    public async Task Forget(string taskId)
    {
        await using var command = database.DataSource.CreateCommand("DELETE FROM oee_task WHERE service_id = $1 AND id = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = database.ServiceId });
        command.Parameters.Add(new NpgsqlParameter { Value = taskId });
        await command.ExecuteNonQueryAsync();
    }

    public Task<TaskPage> Query(TaskQuery query) => database.Read(QueryOnce, query);

    public Task<IReadOnlyList<string>> FindFinished(OeeTaskStatus? status, DateTimeOffset? finishedBefore, int max) =>
        database.Read(FindFinishedOnce, (status, finishedBefore, max));

    public Task<Dictionary<OeeTaskStatus, long>> CountByStatus() => database.Read(CountByStatusOnce, database.ServiceId);

    public ValueTask DisposeAsync() => writes.DisposeAsync();

    private static async Task<TaskPage> QueryOnce(PostgresDatabase database, TaskQuery query)
    {
        var sql = new System.Text.StringBuilder($"SELECT {Columns} FROM oee_task WHERE service_id = $1");
        var parameters = new List<object> { database.ServiceId };
        void Where(string condition, object value)
        {
            parameters.Add(value);
            sql.Append(" AND ").Append(condition.Replace("{p}", "$" + parameters.Count, StringComparison.Ordinal));
        }

        if (query.Status is { } status)
        {
            Where("status = {p}", (short)status);
        }

        if (query.Queue is { } queue)
        {
            Where("queue = {p}", queue);
        }

        if (query.Name is { } name)
        {
            Where("name = {p}", name);
        }

        if (query.DeadLettered is { } deadLettered)
        {
            Where("dead_lettered = {p}", deadLettered);
        }

        if (query.ParentId is { } parent)
        {
            Where("parent_id = {p}", parent);
        }

        if (query.Tenant is { } tenant)
        {
            Where("tenant = {p}", tenant);
        }

        if (query.Tag is { } tag)
        {
            Where("tags @> ARRAY[{p}]::text[]", tag);
        }

        if (TaskCursor.TryDecode(query.Cursor, out var cursor))
        {
            parameters.Add(cursor.CreatedAt);
            parameters.Add(cursor.Id);
            sql.Append($" AND (created_at, id) < (${parameters.Count - 1}, ${parameters.Count})");
        }

        parameters.Add(query.Limit + 1);
        sql.Append($" ORDER BY created_at DESC, id DESC LIMIT ${parameters.Count}");

        await using var command = database.DataSource.CreateCommand(sql.ToString());
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        var items = new List<TaskSummary>(query.Limit + 1);
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                items.Add(ReadSummary(reader));
            }
        }

        return TaskPages.From(items, query.Limit);
    }

    private static async Task<IReadOnlyList<string>> FindFinishedOnce(PostgresDatabase database, (OeeTaskStatus? Status, DateTimeOffset? FinishedBefore, int Max) find)
    {
        var (status, finishedBefore, max) = find;
        // Served by ix_oee_task_finished (completed_at of final tasks), oldest first.
        await using var command = database.DataSource.CreateCommand(
            """
            SELECT id FROM oee_task
             WHERE service_id = $1 AND status IN (3, 4, 5) AND ($2::smallint IS NULL OR status = $2)
               AND ($3::timestamptz IS NULL OR completed_at <= $3)
             ORDER BY completed_at LIMIT $4
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = database.ServiceId });
        command.Parameters.Add(new NpgsqlParameter { Value = status is { } s ? (short)s : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Smallint });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)finishedBefore ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = max });
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    private static async Task<Dictionary<OeeTaskStatus, long>> CountByStatusOnce(PostgresDatabase database, string serviceId)
    {
        await using var command = database.DataSource.CreateCommand("SELECT status, count(*) FROM oee_task WHERE service_id = $1 GROUP BY status");
        command.Parameters.Add(new NpgsqlParameter { Value = serviceId });
        var counts = OeeTaskStatusExtensions.All.ToDictionary(s => s, _ => 0L);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            counts[(OeeTaskStatus)reader.GetInt16(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    private async Task Upsert(IReadOnlyList<TaskSummary> batch)
    {
        await using var command = database.DataSource.CreateCommand(UpsertSql);
        AddUpsertParameters(command.Parameters, database.ServiceId, batch);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// The summaries' upsert (newer version wins) restricted to the ids <paramref name="onlyIds"/> selects,
    /// to be a part of a larger statement (<see cref="TaskRecordBatch"/>); its parameters are
    /// <see cref="AddUpsertParameters"/>'s, numbered from $1.
    /// </summary>
    internal static string UpsertStatement(string onlyIds) => UpsertSql.Replace("/*only*/", $"WHERE u.id IN ({onlyIds})", StringComparison.Ordinal);

    /// <summary>Adds the upsert's parameters, from $1 on: the service id, then the summaries' columns (one row per id, its newest version).</summary>
    internal static void AddUpsertParameters(NpgsqlParameterCollection parameters, string serviceId, IEnumerable<TaskSummary> batch)
    {
        // One row per id (the newest version): an upsert may not touch a row twice.
        var rows = batch.GroupBy(s => s.Id, StringComparer.Ordinal).Select(g => g.MaxBy(s => s.Version)!).ToList();
        parameters.Add(new NpgsqlParameter { Value = serviceId });
        parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Id).ToArray() });
        parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Name).ToArray() });
        parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Handler).ToArray() });
        parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Queue).ToArray() });
        parameters.Add(new NpgsqlParameter { Value = rows.Select(r => (short)r.Priority).ToArray() });
        parameters.Add(new NpgsqlParameter { Value = rows.Select(r => string.Join(TagSeparator, r.Tags)).ToArray() });
        parameters.Add(new NpgsqlParameter { Value = rows.Select(r => (short)r.Status).ToArray() });
        parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.CreatedAt).ToArray() });
        parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.StartedAt).ToArray() });
        parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.CompletedAt).ToArray() });
        parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Attempt).ToArray() });
        parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Silo).ToArray() });
        parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Version).ToArray() });
        parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.ConcurrencyKey).ToArray() });
        parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.NextRunAt).ToArray() });
        parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.DeadLettered).ToArray() });
        parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.ParentId).ToArray() });
        parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Tenant).ToArray() });
    }

    private static TaskSummary ReadSummary(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Name = reader.GetString(1),
        Handler = reader.GetString(2),
        Queue = reader.GetString(3),
        Priority = reader.GetInt16(4),
        Tags = reader.GetFieldValue<string[]>(5),
        Status = (OeeTaskStatus)reader.GetInt16(6),
        CreatedAt = reader.GetFieldValue<DateTimeOffset>(7),
        StartedAt = reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8),
        CompletedAt = reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9),
        Attempt = reader.GetInt32(10),
        Silo = reader.IsDBNull(11) ? null : reader.GetString(11),
        Version = reader.GetInt64(12),
        ConcurrencyKey = reader.IsDBNull(13) ? null : reader.GetString(13),
        NextRunAt = reader.IsDBNull(14) ? null : reader.GetFieldValue<DateTimeOffset>(14),
        DeadLettered = reader.GetBoolean(15),
        ParentId = reader.IsDBNull(16) ? null : reader.GetString(16),
        Tenant = reader.IsDBNull(17) ? null : reader.GetString(17),
    };
}
