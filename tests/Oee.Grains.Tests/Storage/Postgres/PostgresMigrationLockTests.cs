using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Npgsql;
using Oee.Grains.Storage.Postgres;
using Oee.Grains.Tests.Cluster;
using Oee.Tests.Shared;

namespace Oee.Grains.Tests.Storage.Postgres;

/// <summary>
/// A migration that finds another process's migration lock held waits for it past the connection
/// string's command timeout (1 s here; Npgsql's default is 30 s), says at Information that it waits,
/// and migrates once the lock is free.
/// </summary>
public sealed class PostgresMigrationLockTests : IAsyncLifetime
{
    private readonly TestDatabase database = new();

    public Task InitializeAsync() => database.CreateAsync();

    public Task DisposeAsync() => database.DisposeAsync().AsTask();

    [Fact]
    public async Task A_migration_waits_for_another_processs_lock_past_the_command_timeout_and_says_so()
    {
        await using var other = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ConnectionString);
        await other.OpenAsync();
        await Lock(other, "pg_advisory_lock");
        var logger = new FakeLogger();

        var migration = PostgresMigrator.MigrateAsync(new NpgsqlConnectionStringBuilder(database.ConnectionString) { CommandTimeout = 1 }.ConnectionString, logger);

        // It says it waits (however long connecting takes), then waits on past three times the command timeout.
        await Waiting.Until(
            () => migration.IsCompleted || logger.Collector.GetSnapshot().Any(r => r.Level == LogLevel.Information && r.Message.Contains("Waiting for another process's PostgreSQL migration", StringComparison.Ordinal)),
            "the migration to say it waits for the lock");
        var first = await Task.WhenAny(migration, Task.Delay(TimeSpan.FromSeconds(3)));

        Assert.True(first != migration, $"the migration ended while the lock was held: {migration.Exception?.GetBaseException().Message ?? "it did not wait"}");
        await Lock(other, "pg_advisory_unlock");
        Assert.Equal(PostgresMigrator.ScriptNames, await migration);
    }

    private static async Task Lock(NpgsqlConnection connection, string function)
    {
        await using var command = new NpgsqlCommand($"SELECT {function}(@key)", connection);
        command.Parameters.AddWithValue("key", PostgresMigrationLock.Key);
        await command.ExecuteNonQueryAsync();
    }
}
