using Microsoft.Extensions.Logging;
using Npgsql;

namespace Oee.Grains.Storage.Postgres;

/// <summary>
/// Opens the migration's connection to the target database, creating that database first only when
/// the server says it does not exist (3D000). Only then is the server's <c>postgres</c> maintenance
/// database used: behind PgBouncer, or where a role may not connect to <c>postgres</c>, an existing
/// database is reached without it (DbUp's EnsureDatabase always went there first). Several processes
/// creating the same database at once is the normal case when silos start together on a new server,
/// so a creation that another process won (42P04, or 23505 on <c>pg_database</c>'s name index when
/// both inserted at the same moment) counts as success.
/// </summary>
internal static partial class PostgresDatabaseCreation
{
    private const string MaintenanceDatabase = "postgres";

    /// <summary>
    /// An open connection of its own (outside any pool, so that it never takes a pooled connection the
    /// migration needs, and closing it ends its session) to the database <paramref name="target"/> names,
    /// created first when missing.
    /// </summary>
    public static async Task<NpgsqlConnection> OpenAsync(NpgsqlConnectionStringBuilder target, ILogger logger, CancellationToken cancellationToken)
    {
        var unpooled = new NpgsqlConnectionStringBuilder(target.ConnectionString) { Pooling = false };
        try
        {
            return await Open(unpooled.ConnectionString, cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidCatalogName && !string.IsNullOrEmpty(target.Database))
        {
            await CreateAsync(unpooled, logger, cancellationToken);
            return await Open(unpooled.ConnectionString, cancellationToken);
        }
    }

    private static async Task CreateAsync(NpgsqlConnectionStringBuilder target, ILogger logger, CancellationToken cancellationToken)
    {
        var maintenance = new NpgsqlConnectionStringBuilder(target.ConnectionString) { Database = MaintenanceDatabase };
        await using var connection = await Open(maintenance.ConnectionString, cancellationToken);
        var name = target.Database!;
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
        try
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
            LogCreated(logger, name);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            LogCreatedByAnother(logger, name);
        }
    }

    private static async Task<NpgsqlConnection> Open(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created PostgreSQL database {Database}")]
    private static partial void LogCreated(ILogger logger, string database);

    [LoggerMessage(Level = LogLevel.Information, Message = "PostgreSQL database {Database} was created by another process at the same time")]
    private static partial void LogCreatedByAnother(ILogger logger, string database);
}
