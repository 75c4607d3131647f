using Npgsql;
using Oee.Tests.Shared;

namespace Oee.EndToEnd.Tests;

/// <summary>
/// <c>Oee.Silo migrate</c> as a deployment step sees it: exit 0 when the schema is current, 1 with one
/// line on stderr saying why when it cannot be made so (no unhandled exception, whose SIGABRT is exit
/// 134), 2 when no connection string is set.
/// </summary>
public sealed class MigrateCommandTests
{
    private const string FromANewerBuild = "Oee.Grains.Persistence.Postgres.Sql.0099_from_a_newer_build.sql";

    [Fact]
    public async Task A_database_is_migrated_and_one_a_newer_build_migrated_is_refused_with_exit_code_1()
    {
        await using var database = new TestDatabase();
        await database.CreateAsync();

        var (migrated, output, error) = await Migrate(database.ConnectionString);
        Assert.True(migrated == 0, $"exit {migrated}: {error}");
        Assert.Contains("migrate: schema is current", output, StringComparison.Ordinal);

        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand($"INSERT INTO oee_schema_versions (scriptname, applied) VALUES ('{FromANewerBuild}', now())", connection);
            await insert.ExecuteNonQueryAsync();
        }

        var (refused, _, refusal) = await Migrate(database.ConnectionString);
        Assert.Equal(1, refused);
        AssertOneLine(refusal, FromANewerBuild);
    }

    [Fact]
    public async Task A_server_that_cannot_be_reached_is_exit_code_1_with_one_line_saying_so()
    {
        var (exitCode, _, error) = await Migrate($"Host=127.0.0.1;Port={LoopbackPorts.Next()};Database=oee;Username=oee;Timeout=5");

        Assert.Equal(1, exitCode);
        AssertOneLine(error, "Failed to connect");
    }

    [Fact]
    public async Task An_invalid_connection_string_is_exit_code_1_with_one_line_saying_so()
    {
        var (exitCode, _, error) = await Migrate("Host=127.0.0.1;No Such Keyword=1");

        Assert.Equal(1, exitCode);
        AssertOneLine(error, "Oee:PostgreSql:ConnectionString is not a valid Npgsql connection string");
    }

    [Fact]
    public async Task No_connection_string_is_exit_code_2()
    {
        var (exitCode, _, error) = await Migrate("");

        Assert.Equal(2, exitCode);
        AssertOneLine(error, "set Oee:PostgreSql:ConnectionString");
    }

    private static Task<(int ExitCode, string Output, string Error)> Migrate(string connectionString) =>
        OeeProcess.RunSilo(new Dictionary<string, string> { ["Oee__PostgreSql__ConnectionString"] = connectionString }, "migrate");

    private static void AssertOneLine(string error, string expected)
    {
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line on stderr, got {lines.Length}:\n{error}");
        Assert.StartsWith("migrate: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(expected, lines[0], StringComparison.Ordinal);
    }
}
