using DbUp;
using DbUp.Engine.Output;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Oee.Grains.Storage.Postgres;

/// <summary>
/// Applies OEE's versioned PostgreSQL scripts (Orleans' query table, clustering, grain storage,
/// reminders, then OEE's own tables) with DbUp, journaled in <c>oee_schema_versions</c>. Runs under
/// a session advisory lock so that silos starting together migrate one at a time; applying twice
/// is harmless.
/// </summary>
internal static partial class PostgresMigrator
{
    private const long AdvisoryLockKey = 0x0EE_5C4E_3A;

    // The scripts' resource names (and so the names DbUp journals) are fixed in Oee.Grains.csproj,
    // whatever folder the files live in: a journaled name must never change.
    private const string ScriptNamespace = ".Persistence.Postgres.Sql.";

    /// <summary>The names of the scripts this build carries, in the order they apply.</summary>
    public static IReadOnlyList<string> ScriptNames { get; } =
        [.. typeof(PostgresMigrator).Assembly.GetManifestResourceNames().Where(n => n.Contains(ScriptNamespace, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

    /// <summary>Creates the database when missing, then applies every pending script. Returns the scripts applied now.</summary>
    public static async Task<IReadOnlyList<string>> MigrateAsync(string connectionString, ILogger logger, CancellationToken cancellationToken = default)
    {
        EnsureDatabase.For.PostgresqlDatabase(connectionString, new DbUpLog(logger));
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection))
        {
            lockCommand.Parameters.AddWithValue("key", AdvisoryLockKey);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            var upgrader = DeployChanges.To
                .PostgresqlDatabase(connectionString)
                .WithScriptsEmbeddedInAssembly(typeof(PostgresMigrator).Assembly, name => name.Contains(ScriptNamespace, StringComparison.Ordinal))
                .WithTransactionPerScript()
                .JournalToPostgresqlTable("public", "oee_schema_versions")
                .LogTo(new DbUpLog(logger))
                .Build();
            var result = upgrader.PerformUpgrade();
            if (!result.Successful)
            {
                throw new InvalidOperationException($"Migration script {result.ErrorScript?.Name ?? "(unknown)"} failed: {result.Error?.Message}", result.Error);
            }

            var applied = result.Scripts.Select(s => s.Name).ToList();
            LogMigrated(logger, applied.Count, ScriptNames.Count);
            return applied;
        }
        finally
        {
            await using var unlockCommand = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
            unlockCommand.Parameters.AddWithValue("key", AdvisoryLockKey);
            await unlockCommand.ExecuteNonQueryAsync(CancellationToken.None);
        }
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
