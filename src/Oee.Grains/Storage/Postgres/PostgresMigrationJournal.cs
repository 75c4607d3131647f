using Microsoft.Extensions.Logging;
using Npgsql;

namespace Oee.Grains.Storage.Postgres;

/// <summary>
/// Refuses a database whose migration journal lists scripts this build does not carry: a newer build
/// migrated it and was then rolled back. This build would run against a schema it does not
/// understand (below 0013 it would read task records where the newer schema no longer keeps them,
/// and lose tasks without an error), so it must not start, and its <c>migrate</c> must not apply
/// anything there either.
/// </summary>
internal static partial class PostgresMigrationJournal
{
    /// <summary>The journal DbUp keeps: one row per applied script, by name.</summary>
    public const string Schema = "public";

    /// <summary>The journal table's name.</summary>
    public const string Table = "oee_schema_versions";

    /// <summary>Throws, naming them, when <paramref name="journaled"/> holds scripts not in <paramref name="known"/>.</summary>
    public static void RefuseUnknownScripts(IEnumerable<string> journaled, IReadOnlyCollection<string> known)
    {
        var unknown = journaled.Where(name => !known.Contains(name, StringComparer.Ordinal)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException(
                $"The PostgreSQL database was migrated by a newer OEE build: its journal ({Schema}.{Table}) lists {unknown.Count} script(s) " +
                $"this build does not know: {string.Join(", ", unknown)}. This build would run against a schema it does not understand, " +
                "so it neither starts a silo nor migrates on it. Deploy the newer build again, or restore the database from a backup taken before that build migrated it.");
        }
    }

    /// <summary>
    /// The same check without migrating, for silos that start with <c>MigrateOnStart=false</c>. A
    /// database with no journal yet (not migrated) passes, as does one whose journal this role may not
    /// read (a warning: the separate <c>migrate</c> step checks it then).
    /// </summary>
    public static async Task CheckAsync(string connectionString, IReadOnlyCollection<string> known, ILogger logger, CancellationToken cancellationToken)
    {
        var unpooled = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
        await using var connection = new NpgsqlConnection(unpooled.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var read = new NpgsqlCommand($"SELECT scriptname FROM {Schema}.{Table}", connection);
        var journaled = new List<string>();
        try
        {
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                journaled.Add(reader.GetString(0));
            }
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            LogJournalNotReadable(logger, $"{Schema}.{Table}", ex.MessageText);
            return;
        }

        RefuseUnknownScripts(journaled, known);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the migration journal {Journal} to check that no newer build migrated this database ({Reason}); starting without that check")]
    private static partial void LogJournalNotReadable(ILogger logger, string journal, string reason);
}
