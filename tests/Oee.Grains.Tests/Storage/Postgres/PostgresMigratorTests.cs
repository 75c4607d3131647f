using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Oee.Grains.Configuration;
using Oee.Grains.Storage.Postgres;
using Oee.Tests.Shared;
using Orleans;
using Orleans.Runtime;

namespace Oee.Grains.Tests.Storage.Postgres;

/// <summary>
/// The migration on a database of its own: scripts run without the connection string's command
/// timeout, a pool of one connection is enough, and a database whose journal lists scripts this
/// build does not know (a newer build migrated it) is refused, by the migration and by a silo that
/// does not migrate, before anything is applied.
/// </summary>
public sealed class PostgresMigratorTests : IAsyncLifetime
{
    private const string FromANewerBuild = "Oee.Grains.Persistence.Postgres.Sql.0099_from_a_newer_build.sql";
    private readonly TestDatabase database = new();

    private static string TaskRecordScript => PostgresMigrator.ScriptNames.Single(n => n.EndsWith("0013_oee_task_record.sql", StringComparison.Ordinal));

    public Task InitializeAsync() => database.CreateAsync();

    public Task DisposeAsync() => database.DisposeAsync().AsTask();

    [Fact]
    public async Task A_script_running_longer_than_the_command_timeout_completes()
    {
        await PostgresMigrator.MigrateAsync(database.ConnectionString, NullLogger.Instance);
        await Execute($"DELETE FROM oee_schema_versions WHERE scriptname = '{TaskRecordScript}'");

        // 0013 copies task records out of OrleansStorage; another session keeps that table locked for
        // three times the command timeout, so the script's INSERT ... SELECT waits that long.
        await using var other = new NpgsqlConnection(database.ConnectionString);
        await other.OpenAsync();
        await using var holding = await other.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE OrleansStorage IN ACCESS EXCLUSIVE MODE", other, holding))
        {
            await lockTable.ExecuteNonQueryAsync();
        }

        var migration = PostgresMigrator.MigrateAsync(new NpgsqlConnectionStringBuilder(database.ConnectionString) { CommandTimeout = 1 }.ConnectionString, NullLogger.Instance);
        var first = await Task.WhenAny(migration, Task.Delay(TimeSpan.FromSeconds(3)));

        Assert.True(first != migration, $"the migration ended while its script was held up: {migration.Exception?.GetBaseException().Message ?? "it was not held up"}");
        await holding.CommitAsync();
        Assert.Equal([TaskRecordScript], await migration);
    }

    [Fact]
    public async Task A_pool_of_one_connection_is_enough_to_migrate()
    {
        // Timeout: how long a connection is waited for when the pool has none free (15 s by default).
        var poolOfOne = new NpgsqlConnectionStringBuilder(database.ConnectionString) { MaxPoolSize = 1, Timeout = 3 };

        Assert.Equal(PostgresMigrator.ScriptNames, await PostgresMigrator.MigrateAsync(poolOfOne.ConnectionString, NullLogger.Instance));
    }

    [Fact]
    public async Task A_database_a_newer_build_migrated_is_refused_naming_the_scripts_this_build_does_not_know()
    {
        await PostgresMigrator.MigrateAsync(database.ConnectionString, NullLogger.Instance);
        await Execute($"INSERT INTO oee_schema_versions (scriptname, applied) VALUES ('{FromANewerBuild}', now())");
        await Execute($"DELETE FROM oee_schema_versions WHERE scriptname = '{TaskRecordScript}'");

        var refusal = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgresMigrator.MigrateAsync(database.ConnectionString, NullLogger.Instance));

        Assert.Contains(FromANewerBuild, refusal.Message, StringComparison.Ordinal);
        Assert.Contains("migrated by a newer OEE build", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("Deploy the newer build again, or restore the database", refusal.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(TaskRecordScript, await Journal()); // refused before applying what this build would have
    }

    [Fact]
    public async Task A_silo_that_does_not_migrate_at_start_refuses_a_database_a_newer_build_migrated()
    {
        await PostgresMigrator.MigrateAsync(database.ConnectionString, NullLogger.Instance);
        await StartWithoutMigrating(); // a database this build migrated: fine
        await Execute($"INSERT INTO oee_schema_versions (scriptname, applied) VALUES ('{FromANewerBuild}', now())");

        var refusal = await Assert.ThrowsAsync<InvalidOperationException>(StartWithoutMigrating);

        Assert.Contains(FromANewerBuild, refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_silo_that_does_not_migrate_at_start_starts_on_a_database_with_no_journal_yet() =>
        await StartWithoutMigrating();

    private async Task StartWithoutMigrating()
    {
        var options = Options.Create(new OeePostgresOptions { ConnectionString = database.ConnectionString, MigrateOnStart = false });
        var lifecycle = new OneStageLifecycle();
        new PostgresMigrationOnStart(options, NullLogger<PostgresMigrationOnStart>.Instance).Participate(lifecycle);
        await lifecycle.Start();
    }

    private async Task Execute(string sql)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<List<string>> Journal()
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT scriptname FROM oee_schema_versions", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var names = new List<string>();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    /// <summary>A silo lifecycle that only runs what subscribed to it.</summary>
    private sealed class OneStageLifecycle : ISiloLifecycle
    {
        private readonly List<ILifecycleObserver> observers = [];

        public int HighestCompletedStage => 0;

        public int LowestStoppedStage => 0;

        public IDisposable Subscribe(string observerName, int stage, ILifecycleObserver observer)
        {
            observers.Add(observer);
            return new CancellationTokenSource();
        }

        public async Task Start()
        {
            foreach (var observer in observers)
            {
                await observer.OnStart(CancellationToken.None);
            }
        }
    }
}
