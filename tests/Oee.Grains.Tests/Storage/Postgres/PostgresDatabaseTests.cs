using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Oee.Grains.Storage.Postgres;
using Oee.Tests.Shared;

namespace Oee.Grains.Tests.Storage.Postgres;

/// <summary>
/// <see cref="PostgresDatabase"/> on the real PostgreSQL when the server ends every session (a restart,
/// a failover, an administrator) while the silo's pool holds them idle: a read that meets a dead
/// connection runs again on a new one, a write fails once and is not repeated, and no later statement
/// meets a dead connection (Npgsql clears its pool). Errors about the statement are not retried.
/// </summary>
public sealed class PostgresDatabaseTests : IAsyncLifetime
{
    private const int Pooled = 4;
    private readonly TestDatabase database = new();
    private NpgsqlDataSource dataSource = null!;
    private PostgresDatabase postgres = null!;

    public async Task InitializeAsync()
    {
        await database.CreateAsync();
        dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(database.ConnectionString) { MaxPoolSize = Pooled }.ConnectionString);
        postgres = new PostgresDatabase(dataSource, Options.Create(new Orleans.Configuration.ClusterOptions { ServiceId = "connections" }), NullLogger<PostgresDatabase>.Instance);
        await using var create = dataSource.CreateCommand("CREATE TABLE written (n int PRIMARY KEY)");
        await create.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        await dataSource.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task A_read_that_meets_a_connection_the_server_closed_runs_again_on_a_new_one_and_the_pool_keeps_no_dead_connection()
    {
        var before = await FillPool();
        Assert.Equal(Pooled, await database.EndSessions());

        var runs = 0;
        var backend = await postgres.Read((db, _) => { runs++; return BackendOf(db); }, 0);

        Assert.Equal(2, runs);
        Assert.DoesNotContain(backend, before);
        var after = await Task.WhenAll(Enumerable.Range(0, Pooled).Select(_ => postgres.Read((db, _) => BackendOf(db), 0)));
        Assert.Empty(after.Intersect(before));
    }

    [Fact]
    public async Task A_write_that_meets_a_connection_the_server_closed_fails_and_is_not_run_again_and_the_next_writes_all_land()
    {
        await FillPool();
        await database.EndSessions();

        var error = await Assert.ThrowsAnyAsync<NpgsqlException>(() => Insert(postgres, 0));

        Assert.True(PostgresConnectionLoss.Is(error), error.ToString());
        await Task.WhenAll(Enumerable.Range(1, Pooled).Select(n => Insert(postgres, n)));
        Assert.Equal(Enumerable.Range(1, Pooled), await postgres.Read((db, _) => Written(db), 0));
    }

    [Fact]
    public async Task A_read_that_fails_for_its_statement_runs_once_and_leaves_the_pool_as_it_was()
    {
        var before = await FillPool();

        var reads = 0;
        await Assert.ThrowsAsync<PostgresException>(() => postgres.Read((db, _) => { reads++; return FailingRead(db); }, 0));

        Assert.Equal(1, reads);
        Assert.Equal(before.Order(), (await FillPool()).Order());
    }

    /// <summary>Opens as many connections as the pool holds, all at once, and returns them to it idle; their server processes.</summary>
    private async Task<int[]> FillPool()
    {
        var connections = new List<NpgsqlConnection>();
        try
        {
            var backends = new int[Pooled];
            for (var i = 0; i < Pooled; i++)
            {
                var connection = await dataSource.OpenConnectionAsync();
                connections.Add(connection);
                await using var command = new NpgsqlCommand("SELECT pg_backend_pid()", connection);
                backends[i] = (int)(await command.ExecuteScalarAsync())!;
            }

            return backends;
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private static async Task<int> BackendOf(PostgresDatabase db)
    {
        await using var command = db.DataSource.CreateCommand("SELECT pg_backend_pid()");
        return (int)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<int> FailingRead(PostgresDatabase db)
    {
        await using var command = db.DataSource.CreateCommand("SELECT n FROM no_such_table");
        return (int)(await command.ExecuteScalarAsync())!;
    }

    private static async Task Insert(PostgresDatabase db, int n)
    {
        await using var command = db.DataSource.CreateCommand("INSERT INTO written (n) VALUES ($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = n });
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<int[]> Written(PostgresDatabase db)
    {
        await using var command = db.DataSource.CreateCommand("SELECT n FROM written ORDER BY n");
        var rows = new List<int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetInt32(0));
        }

        return [.. rows];
    }
}
