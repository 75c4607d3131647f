using System.Data.Common;
using System.Globalization;

namespace Oee.Benchmarks.Hosting;

/// <summary>The project's PostgreSQL (scripts/pg.sh): start it, and count rows to prove that a silo writes to it.</summary>
internal sealed class PostgresServer(RepoPaths paths, string connectionString)
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(5);

    // Total rows over every user table, exact (not the statistics' estimate).
    private const string CountAllRows =
        "select coalesce(sum((xpath('/row/c/text()', query_to_xml(format('select count(*) as c from %I.%I', schemaname, tablename), false, true, '')))[1]::text::bigint), 0) " +
        "from pg_tables where schemaname not in ('pg_catalog', 'information_schema')";

    public string ConnectionString { get; } = connectionString;

    /// <summary>Uses <paramref name="given"/>, or starts (or reuses) the project's server and takes the string it prints.</summary>
    public static async Task<PostgresServer> StartAsync(RepoPaths paths, string? given, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(given))
        {
            return new PostgresServer(paths, given);
        }

        var output = await ScriptRunner.RunAsync("bash", [paths.PgScript, "start"], new Dictionary<string, string>(), ScriptTimeout, cancellationToken);
        var url = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        return string.IsNullOrEmpty(url)
            ? throw new InvalidOperationException("scripts/pg.sh start printed no connection string.")
            : new PostgresServer(paths, url);
    }

    /// <summary>The number of rows in all user tables of the database (through scripts/pg.sh psql).</summary>
    public async Task<long> CountRowsAsync(CancellationToken cancellationToken)
    {
        var builder = new DbConnectionStringBuilder { ConnectionString = ConnectionString };
        var environment = new Dictionary<string, string>();
        if (builder.TryGetValue("Port", out var port) && port is not null)
        {
            environment["OEE_PG_PORT"] = Convert.ToString(port, CultureInfo.InvariantCulture)!;
        }

        var output = await ScriptRunner.RunAsync("bash", [paths.PgScript, "psql", "-At", "-c", CountAllRows], environment, ScriptTimeout, cancellationToken);
        return long.Parse(output.Trim(), CultureInfo.InvariantCulture);
    }
}
