using DbUp.Engine.Output;
using DbUp.Postgresql;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Oee.Grains.Storage.Postgres;

/// <summary>
/// Applies OEE's versioned PostgreSQL scripts (Orleans' query table, clustering, grain storage,
/// reminders, then OEE's own tables) with DbUp, journaled in <c>oee_schema_versions</c>. Runs under
/// a session advisory lock so that silos starting together migrate one at a time; applying twice
/// is harmless. The database is created when missing (<see cref="PostgresDatabaseCreation"/>), and
/// a database a newer build migrated is refused before anything is applied
/// (<see cref="PostgresMigrationJournal"/>).
/// </summary>
/// <remarks>
/// No command of a migration has a time limit (the connection string's <c>Command Timeout</c> is
/// set aside): a script over a large installation's data (0013 copies every task record) may take
/// minutes, and failing it at 30 s would fail every start after. The lock is held on a connection
/// outside the pool and DbUp runs on a data source of its own, disposed at the end, so a migration
/// needs one pooled connection at a time, whatever <c>Maximum Pool Size</c> allows, and leaves none
/// open.
/// </remarks>
internal static partial class PostgresMigrator
{
    // The scripts' resource names (and so the names DbUp journals) are fixed in Oee.Grains.csproj,
    // whatever folder the files live in: a journaled name must never change.
    private const string ScriptNamespace = ".Persistence.Postgres.Sql.";

    /// <summary>The names of the scripts this build carries, in the order they apply.</summary>
    public static IReadOnlyList<string> ScriptNames { get; } =
        [.. typeof(PostgresMigrator).Assembly.GetManifestResourceNames().Where(n => n.Contains(ScriptNamespace, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

    /// <summary>Creates the database when missing, then applies every pending script. Returns the scripts applied now.</summary>
    public static async Task<IReadOnlyList<string>> MigrateAsync(string connectionString, ILogger logger, CancellationToken cancellationToken = default)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 0 };

        // Closing this connection ends its session, and so releases the lock, however the migration ends.
        await using var lockConnection = await PostgresDatabaseCreation.OpenAsync(target, logger, cancellationToken);
        await PostgresMigrationLock.AcquireAsync(lockConnection, logger, cancellationToken);

        await using var dataSource = NpgsqlDataSource.Create(target);
        var upgrader = PostgresqlExtensions.PostgresqlDatabase(new PostgresqlConnectionManager(dataSource), target.SearchPath)
            .WithScriptsEmbeddedInAssembly(typeof(PostgresMigrator).Assembly, name => name.Contains(ScriptNamespace, StringComparison.Ordinal))
            .WithTransactionPerScript()
            .JournalToPostgresqlTable(PostgresMigrationJournal.Schema, PostgresMigrationJournal.Table)
            .LogTo(new DbUpLog(logger))
            .Build();
        PostgresMigrationJournal.RefuseUnknownScripts(upgrader.GetExecutedScripts(), ScriptNames);
        var result = upgrader.PerformUpgrade();
        if (!result.Successful)
        {
            throw new InvalidOperationException($"Migration script {result.ErrorScript?.Name ?? "(unknown)"} failed: {result.Error?.Message}", result.Error);
        }

        var applied = result.Scripts.Select(s => s.Name).ToList();
        LogMigrated(logger, applied.Count, ScriptNames.Count);
        return applied;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "PostgreSQL schema is current: applied {Applied} script(s) now, {Total} known")]
    private static partial void LogMigrated(ILogger logger, int applied, int total);

    /// <summary>DbUp's log, forwarded to Microsoft.Extensions.Logging at debug level (warnings and errors as such).</summary>
    private sealed class DbUpLog(ILogger logger) : IUpgradeLog
    {
        public void LogTrace(string format, params object[] args) => logger.LogTrace(format, args);

        public void LogDebug(string format, params object[] args) => logger.LogDebug(format, args);

        public void LogInformation(string format, params object[] args) => logger.LogDebug(format, args);

        public void LogWarning(string format, params object[] args) => logger.LogWarning(format, args);

        public void LogError(string format, params object[] args) => logger.LogError(format, args);

        public void LogError(Exception ex, string format, params object[] args) => logger.LogError(ex, format, args);
    }
}
