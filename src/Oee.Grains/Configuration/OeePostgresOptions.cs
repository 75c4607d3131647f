using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Oee.Grains.Configuration;

/// <summary>
/// Durable mode, bound from <c>Oee:PostgreSql</c>. Setting the connection string is the one switch
/// from the memory default to PostgreSQL: grain state, clustering, reminders, queue entries and the
/// task index all go to that database.
/// </summary>
public sealed class OeePostgresOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Oee:PostgreSql";

    /// <summary>The Npgsql connection string; empty means memory mode. Default empty.</summary>
    [Redact]
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Apply pending schema migrations when a silo starts (under an advisory lock, so several silos may
    /// start at once). Default true. When false the silo still refuses a database a newer build migrated.
    /// </summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>
    /// The most connections one silo opens (one pool shared by grain storage, clustering, reminders
    /// and OEE's tables). Default 40; a <c>Maximum Pool Size</c> in the connection string wins.
    /// </summary>
    public int MaxPoolSize { get; set; } = 40;

    /// <summary>True when a connection string is set.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(ConnectionString);

    /// <summary>Reads and checks the section; throws naming each bad setting.</summary>
    public static OeePostgresOptions Read(IConfiguration configuration) =>
        OeeSettings.Read(configuration, SectionName, new OeePostgresOptionsValidator());

    /// <summary>The silo's one pooled data source, capped at <see cref="MaxPoolSize"/> unless the connection string sets a size.</summary>
    internal Npgsql.NpgsqlDataSource CreateDataSource()
    {
        var builder = new Npgsql.NpgsqlDataSourceBuilder(ConnectionString);
        if (!ConnectionString!.Contains("pool size", StringComparison.OrdinalIgnoreCase) && !ConnectionString.Contains("maxpoolsize", StringComparison.OrdinalIgnoreCase))
        {
            builder.ConnectionStringBuilder.MaxPoolSize = MaxPoolSize;
        }

        return builder.Build();
    }
}

/// <summary>Checks <see cref="OeePostgresOptions"/>.</summary>
internal sealed class OeePostgresOptionsValidator : IValidateOptions<OeePostgresOptions>
{
    public ValidateOptionsResult Validate(string? name, OeePostgresOptions options)
    {
        var failures = new List<string>();
        if (options.Enabled)
        {
            try
            {
                _ = new Npgsql.NpgsqlConnectionStringBuilder(options.ConnectionString);
            }
            catch (ArgumentException ex)
            {
                failures.Add($"Oee:PostgreSql:ConnectionString is not a valid Npgsql connection string: {ex.Message}");
            }
        }

        if (options.MaxPoolSize is < 2 or > 1000)
        {
            failures.Add($"Oee:PostgreSql:MaxPoolSize must be from 2 to 1000 (was {options.MaxPoolSize}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
