using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Oee.Grains.Configuration;
using Oee.Grains.Storage.Postgres;

namespace Oee.Grains.Hosting;

/// <summary>The PostgreSQL schema as a separate step (silos also migrate at start unless told not to).</summary>
public static class OeeMigrations
{
    /// <summary>True when <c>Oee:PostgreSql:ConnectionString</c> is set; throws, naming the setting, when it is not a valid Npgsql connection string.</summary>
    public static bool IsConfigured(IConfiguration configuration) => OeePostgresOptions.Read(configuration).Enabled;

    /// <summary>
    /// Creates the database when missing and applies every pending migration, under an advisory lock
    /// (several callers at once are safe; a caller waits for the lock without a time limit). Returns the
    /// scripts applied now and how many exist. Throws <see cref="InvalidOperationException"/>, applying
    /// nothing, when the database's journal lists scripts this build does not know (a newer build migrated it).
    /// </summary>
    public static async Task<OeeMigrationResult> MigrateAsync(IConfiguration configuration, ILogger logger, CancellationToken cancellationToken = default)
    {
        var postgres = OeePostgresOptions.Read(configuration);
        if (!postgres.Enabled)
        {
            throw new InvalidOperationException("Set Oee:PostgreSql:ConnectionString (or Oee__PostgreSql__ConnectionString) to migrate.");
        }

        var applied = await PostgresMigrator.MigrateAsync(postgres.ConnectionString!, logger, cancellationToken);
        return new OeeMigrationResult([.. applied], PostgresMigrator.ScriptNames.Count);
    }
}

/// <summary>What a migration did.</summary>
/// <param name="Applied">The scripts applied by this call, in order (empty when the schema was current).</param>
/// <param name="Known">How many scripts this build carries.</param>
public sealed record OeeMigrationResult(string[] Applied, int Known);
