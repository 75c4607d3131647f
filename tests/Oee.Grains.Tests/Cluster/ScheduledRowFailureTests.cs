using Npgsql;
using Oee.Grains.Contracts;

namespace Oee.Grains.Tests.Cluster;

/// <summary>
/// Durable mode: a task its queue already had a place for (a retry's backoff, a manual retry) still runs when the
/// queue cannot write its scheduled row. PostgreSQL itself refuses the row (a trigger on <c>oee_queue_entry</c> for
/// that one task's scheduled rows), so the failure is the database's, through the real store.
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

    // A trigger that refuses every scheduled row (due_at set) of the task, counting the refusals in a sequence (which the
    // refused transaction's rollback does not undo); removed on dispose.
    private async Task<RefusedRows> RefuseScheduledRowsOf(string taskId)
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
              RAISE EXCEPTION 'refused by a test for task %', NEW.task_id;
            END $$;
            CREATE TRIGGER {name} BEFORE INSERT OR UPDATE ON oee_queue_entry FOR EACH ROW
              WHEN (NEW.task_id = '{taskId}' AND NEW.due_at IS NOT NULL) EXECUTE FUNCTION {name}();
            """,
            connection);
        await command.ExecuteNonQueryAsync();
        return new RefusedRows(fixture.Database.ConnectionString, name);
    }

    private sealed class RefusedRows(string connectionString, string name) : IAsyncDisposable
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
            await using var command = new NpgsqlCommand($"DROP TRIGGER {name} ON oee_queue_entry; DROP FUNCTION {name}(); DROP SEQUENCE {name}_count;", connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
