using Npgsql;
using Oee.Grains.Contracts;

namespace Oee.Grains.Tests.Cluster;

/// <summary>
/// Durable mode when PostgreSQL refuses a queue's write (a trigger for one task's or one queue's rows, so the failure
/// is the database's, through the real store): a task its queue already had a place for (a retry's backoff, a manual
/// retry) still runs when its scheduled row is refused, and a queue whose wake-up reminder was refused registers it
/// at its next dispatch.
/// </summary>
[Collection(PostgresClusterCollection.Name)]
public sealed class ScheduledRowFailureTests(PostgresClusterFixture fixture)
{
    [Fact]
    public async Task A_retry_whose_backoff_row_is_refused_still_runs_when_due()
    {
        var id = Waiting.Unique("backoff-row");
        await using var refused = await RefuseScheduledRowsOf(id);

        // Fails every attempt: attempt 1 fails, its backoff's row is refused, attempt 2 must still run.
        var retry = new RetryPolicy { RetryOn = RetryOn.AllFailures, InitialDelay = TimeSpan.FromMilliseconds(200), Jitter = 0 };
        await fixture.Orchestrator.SubmitAsync(new SubmitTaskRequest
        {
            Id = id, Name = "backoff", Handler = "fail", Queue = Waiting.Unique("backoff-queue"), Input = """{"message":"no"}""", MaxAttempts = 2, Retry = retry,
        });

        var failed = await fixture.Orchestrator.ForStatus(id, OeeTaskStatus.Error);
        Assert.Equal(2, failed.Attempt);
        Assert.True(await refused.Count() >= 1, "the trigger should have refused the backoff's row");
    }

    [Fact]
    public async Task A_manual_retry_whose_queue_row_is_refused_still_runs()
    {
        var queue = Waiting.Unique("retry-row-queue");
        await fixture.Orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { Paused = true });
        var id = (await fixture.Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "retried", Handler = RecordingHandler.Name, Queue = queue, Input = RecordingHandler.Instant })).Task.Id;
        await fixture.Orchestrator.CancelAsync(id);
        await fixture.Orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { Paused = false });
        await using var refused = await RefuseScheduledRowsOf(id);

        // The retry is told that its row failed (or not, should the dispatch win the race); the task runs either way.
        try
        {
            await fixture.Orchestrator.RetryAsync(id);
        }
        catch (Exception ex) when (ex is Oee.Grains.Errors.OeeUnavailableException or PostgresException)
        {
        }

        var done = await fixture.Orchestrator.ForStatus(id, OeeTaskStatus.Done);
        Assert.Equal([id], RecordingHandler.StartsOf(queue));
        Assert.True(await refused.Count() >= 1, "the trigger should have refused the retry's row");
    }

    [Fact]
    public async Task A_queue_whose_wake_up_reminder_was_refused_registers_it_at_its_next_dispatch()
    {
        var queue = Waiting.Unique("wake-refused");
        var gate = BodyGates.New(queue);
        await using (var refused = await Refuse("orleansreminderstable", $"NEW.remindername = 'oee-queue-wake' AND NEW.grainid LIKE '%/{queue}'"))
        {
            // The queue holds a running task: it asks for its reminder, and the database refuses it.
            var held = (await fixture.Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "held", Handler = RecordingHandler.Name, Queue = queue, Input = RecordingHandler.HeldBy(gate) })).Task.Id;
            await fixture.Orchestrator.ForStatus(held, OeeTaskStatus.Running);
            await Waiting.Until(async () => await refused.Count() >= 1, "the wake-up reminder to be refused");
        }

        // The database takes it again: the queue's next dispatch asks again (before session 24 it never did while its
        // activation lived, so a silo dying then left the queue without the reminder that brings it back).
        Assert.Equal(0, await WakeReminders(queue));
        var next = (await fixture.Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "next", Handler = RecordingHandler.Name, Queue = queue, Input = RecordingHandler.Instant })).Task.Id;
        await Waiting.Until(async () => await WakeReminders(queue) == 1, "the queue to register its wake-up reminder again");
        BodyGates.Open(gate);
        await fixture.Orchestrator.ForStatus(next, OeeTaskStatus.Done);
    }

    private async Task<long> WakeReminders(string queue)
    {
        await using var connection = new NpgsqlConnection(fixture.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM orleansreminderstable WHERE remindername = 'oee-queue-wake' AND grainid LIKE '%/' || $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = queue });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    // A trigger that refuses every scheduled row (due_at set) of the task.
    private Task<RefusedRows> RefuseScheduledRowsOf(string taskId) =>
        Refuse("oee_queue_entry", $"NEW.task_id = '{taskId}' AND NEW.due_at IS NOT NULL");

    // A trigger that refuses every row of the table written when the condition holds, counting the refusals in a
    // sequence (which the refused transaction's rollback does not undo); removed on dispose.
    private async Task<RefusedRows> Refuse(string table, string condition)
    {
        var name = "oee_test_refuse_" + Guid.NewGuid().ToString("N")[..12];
        await using var connection = new NpgsqlConnection(fixture.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"""
            CREATE SEQUENCE {name}_count;
            CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              PERFORM nextval('{name}_count');
              RAISE EXCEPTION 'refused by a test';
            END $$;
            CREATE TRIGGER {name} BEFORE INSERT OR UPDATE ON {table} FOR EACH ROW
              WHEN ({condition}) EXECUTE FUNCTION {name}();
            """,
            connection);
        await command.ExecuteNonQueryAsync();
        return new RefusedRows(fixture.Database.ConnectionString, name, table);
    }

    private sealed class RefusedRows(string connectionString, string name, string table) : IAsyncDisposable
    {
        public async Task<long> Count()
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM {name}_count", connection);
            return (long)(await command.ExecuteScalarAsync())!;
        }

        public async ValueTask DisposeAsync()
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP TRIGGER {name} ON {table}; DROP FUNCTION {name}(); DROP SEQUENCE {name}_count;", connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
