using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Oee.Grains.Storage.Postgres;
using Oee.Tests.Shared;

namespace Oee.Grains.Tests.Storage.Postgres;

/// <summary>
/// The migration's database creation: silos starting together on a server without the database all
/// come up (a creation another process won counts as success), and the server's <c>postgres</c>
/// maintenance database is used only to create a missing one. Connections to <c>postgres</c> are seen
/// through Npgsql's connection traces, counted only for this test's Application Name: the test
/// server's role may not create roles, so a role barred from <c>postgres</c> cannot be made.
/// </summary>
public sealed class PostgresDatabaseCreationTests
{
    private const int Silos = 6;

    [Fact]
    public async Task Silos_starting_together_on_a_database_that_does_not_exist_all_migrate_it()
    {
        // A few rounds: the race between the creators is narrow, and each round is another chance to lose it.
        for (var round = 0; round < 3; round++)
        {
            await using var database = new TestDatabase();
            database.NameOnly();
            using var together = new Barrier(Silos);
            var silos = Enumerable.Range(0, Silos).Select(_ => Task.Factory.StartNew(
                () =>
                {
                    together.SignalAndWait();
                    return PostgresMigrator.MigrateAsync(database.ConnectionString, NullLogger.Instance);
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default).Unwrap()).ToList();

            var applied = await Task.WhenAll(silos);

            // Every silo came up, and each script was applied once in all (by whichever silo came first).
            Assert.Equal(PostgresMigrator.ScriptNames, applied.SelectMany(a => a).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task A_database_that_does_not_exist_is_created_through_the_postgres_database()
    {
        await using var database = new TestDatabase();
        database.NameOnly();
        using var maintenance = new MaintenanceConnections();

        await PostgresMigrator.MigrateAsync(maintenance.Mark(database.ConnectionString), NullLogger.Instance);

        Assert.True(maintenance.Count > 0, "the missing database was created without a connection to postgres that this test saw: the traces are not seen");
    }

    [Fact]
    public async Task An_existing_database_is_migrated_without_connecting_to_the_postgres_database()
    {
        await using var database = new TestDatabase();
        await database.CreateAsync();
        using var maintenance = new MaintenanceConnections();

        await PostgresMigrator.MigrateAsync(maintenance.Mark(database.ConnectionString), NullLogger.Instance);

        Assert.Equal(0, maintenance.Count);
    }

    [Fact]
    public async Task A_login_the_server_refuses_fails_without_trying_the_postgres_database()
    {
        await using var database = new TestDatabase();
        await database.CreateAsync();
        using var maintenance = new MaintenanceConnections();
        var unknownRole = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Username = $"oee_no_such_role_{Guid.NewGuid():N}" };

        var refused = await Assert.ThrowsAnyAsync<PostgresException>(() => PostgresMigrator.MigrateAsync(maintenance.Mark(unknownRole.ConnectionString), NullLogger.Instance));

        Assert.Equal(PostgresErrorCodes.InvalidAuthorizationSpecification, refused.SqlState);
        Assert.Equal(0, maintenance.Count);
    }

    /// <summary>Counts the connections to <c>postgres</c> that Npgsql opens (or tries to) for connection strings this instance marked.</summary>
    private sealed class MaintenanceConnections : IDisposable
    {
        private readonly string marker = $"oee-migration-test-{Guid.NewGuid():N}";
        private readonly ConcurrentQueue<Activity> connects = new();
        private readonly ActivityListener listener;

        public MaintenanceConnections()
        {
            listener = new ActivityListener
            {
                ShouldListenTo = s => s.Name == "Npgsql",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStarted = a =>
                {
                    if (a.DisplayName.StartsWith("CONNECT ", StringComparison.Ordinal))
                    {
                        connects.Enqueue(a);
                    }
                },
            };
            ActivitySource.AddActivityListener(listener);
        }

        /// <summary>Connections to <c>postgres</c> so far (their data source, named after the connection string, carries the mark).</summary>
        public int Count => connects.Count(a => a.DisplayName == "CONNECT postgres" && a.GetTagItem("db.npgsql.data_source") is string source && source.Contains(marker, StringComparison.Ordinal));

        /// <summary>The connection string with this instance's Application Name, which every connection made from it keeps.</summary>
        public string Mark(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = marker }.ConnectionString;

        public void Dispose() => listener.Dispose();
    }
}
