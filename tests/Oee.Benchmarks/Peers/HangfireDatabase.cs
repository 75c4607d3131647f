using Npgsql;

namespace Oee.Benchmarks.Peers;

/// <summary>
/// Hangfire.PostgreSql's own database on the project's PostgreSQL server, dropped and created anew
/// each time a Hangfire.PostgreSql peer starts (so every run starts from empty tables) and dropped
/// when it stops. The role of scripts/pg.sh may create databases.
/// </summary>
internal sealed class HangfireDatabase : IAsyncDisposable
{
    public const string Name = "oee_bench_hangfire";

    private readonly string adminConnectionString;

    private HangfireDatabase(string adminConnectionString, string connectionString)
    {
        this.adminConnectionString = adminConnectionString;
        ConnectionString = connectionString;
    }

    /// <summary>The connection string of the fresh database.</summary>
    public string ConnectionString { get; }

    /// <summary>Drops and creates the database on the server of <paramref name="serverConnectionString"/>.</summary>
    public static async Task<HangfireDatabase> CreateAsync(string serverConnectionString, CancellationToken cancellationToken)
    {
        var admin = new NpgsqlConnectionStringBuilder(serverConnectionString) { Pooling = false }.ConnectionString;
        var database = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = Name }.ConnectionString;
        await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", cancellationToken);
        await ExecuteAsync(admin, $"CREATE DATABASE {Name}", cancellationToken);
        return new HangfireDatabase(admin, database);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(adminConnectionString, $"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", CancellationToken.None);
    }

    private static async Task ExecuteAsync(string connectionString, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
