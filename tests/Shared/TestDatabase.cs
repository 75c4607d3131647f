using System.Diagnostics;
using Npgsql;

namespace Oee.Tests.Shared;

/// <summary>
/// A fresh database on the project's test PostgreSQL: the server from OEE_TEST_POSTGRES (set by
/// scripts/test.sh), or started here with scripts/pg.sh when that is unset; or on the server given.
/// Dropped at the end.
/// </summary>
public sealed class TestDatabase(string? serverConnectionString = null) : IAsyncDisposable
{
    public string Name { get; } = $"oee_test_{Guid.NewGuid():N}";

    public string ConnectionString { get; private set; } = "";

    public async Task CreateAsync()
    {
        var server = new NpgsqlConnectionStringBuilder(serverConnectionString ?? ServerConnectionString());
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {Name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        server.Database = Name;
        ConnectionString = server.ConnectionString;
    }

    /// <summary>
    /// Points <see cref="ConnectionString"/> at this database without creating it, for tests of its
    /// creation; it is dropped at the end all the same.
    /// </summary>
    public void NameOnly() =>
        ConnectionString = new NpgsqlConnectionStringBuilder(serverConnectionString ?? ServerConnectionString()) { Database = Name }.ConnectionString;

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = await OpenServerConnection();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 20)
            {
                // An autovacuum worker on the database (not ours to terminate) is still running: it ends soon.
                await Task.Delay(250);
            }
        }
    }

    /// <summary>
    /// Closes or opens this database to connections (a database outage as the silos see it): closing
    /// also ends every session on it; opening lets new ones in again.
    /// </summary>
    public async Task SetConnectionsAllowed(bool allowed)
    {
        await using var connection = await OpenServerConnection();
        await using (var alter = new NpgsqlCommand($"ALTER DATABASE {Name} ALLOW_CONNECTIONS {(allowed ? "true" : "false")}", connection))
        {
            await alter.ExecuteNonQueryAsync();
        }

        if (!allowed)
        {
            await EndSessions(connection);
        }
    }

    /// <summary>
    /// Ends every session on this database, as a server restart or an administrator would, and lets
    /// new ones in at once: the clients' pooled connections are left dead. Returns how many ended.
    /// </summary>
    public async Task<long> EndSessions()
    {
        await using var connection = await OpenServerConnection();
        return await EndSessions(connection);
    }

    // A connection of its own (unpooled) to the server's maintenance database, for statements about this one.
    private async Task<NpgsqlConnection> OpenServerConnection()
    {
        var server = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = "postgres", Pooling = false };
        var connection = new NpgsqlConnection(server.ConnectionString);
        try
        {
            await connection.OpenAsync();
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task<long> EndSessions(NpgsqlConnection connection)
    {
        await using var terminate = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND backend_type = 'client backend'", connection);
        terminate.Parameters.Add(new NpgsqlParameter { Value = Name });
        return (long)(await terminate.ExecuteScalarAsync())!;
    }

    /// <summary>The test server's connection string (to its default database).</summary>
    public static string ServerConnectionString()
    {
        if (Environment.GetEnvironmentVariable("OEE_TEST_POSTGRES") is { Length: > 0 } fromEnvironment)
        {
            return fromEnvironment;
        }

        var script = Path.Combine(RepositoryRoot(), "scripts", "pg.sh");
        var start = Process.Start(new ProcessStartInfo("bash", [script, "start"]) { RedirectStandardOutput = true })
            ?? throw new InvalidOperationException("Could not run scripts/pg.sh.");
        var url = start.StandardOutput.ReadToEnd().Trim();
        start.WaitForExit();
        return start.ExitCode == 0 && url.Length > 0
            ? url
            : throw new InvalidOperationException($"scripts/pg.sh start failed (exit {start.ExitCode}); run it by hand to see why.");
    }

    /// <summary>The clone's root folder (where Oee.Orleans.sln is), found above the test binaries.</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Oee.Orleans.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Oee.Orleans.sln not found above the test binaries.");
    }
}
