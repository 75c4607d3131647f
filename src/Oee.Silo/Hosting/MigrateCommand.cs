using Oee.Grains.Hosting;

namespace Oee.Silo.Hosting;

/// <summary>
/// <c>Oee.Silo migrate</c>: applies the PostgreSQL schema and exits, for a deployment step that reads
/// the exit code. 0: the schema is current. 1: it could not be brought up to date (the server
/// unreachable, a script failing, a database a newer build migrated, an invalid connection string),
/// with one line on stderr saying why. 2: no connection string is set. An exception left unhandled
/// would end the process with SIGABRT (exit 134) and a stack trace instead.
/// </summary>
internal static class MigrateCommand
{
    public static async Task<int> RunAsync(IConfiguration configuration)
    {
        try
        {
            if (!OeeMigrations.IsConfigured(configuration))
            {
                await Console.Error.WriteLineAsync("migrate: set Oee:PostgreSql:ConnectionString (or Oee__PostgreSql__ConnectionString) first.");
                return 2;
            }

            OeeMigrationResult result;
            using (var loggers = LoggerFactory.Create(l => l.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information)))
            {
                result = await OeeMigrations.MigrateAsync(configuration, loggers.CreateLogger("Oee.Migrations"));
            }

            Console.WriteLine($"migrate: schema is current ({result.Applied.Length} script(s) applied now, {result.Known} in all).");
            return 0;
        }
        catch (Exception ex)
        {
            await Console.Error.WriteLineAsync($"migrate: failed: {OneLine(ex)}");
            return 1;
        }
    }

    /// <summary>The exception's message and those of its inner exceptions that add something (a socket error under Npgsql's), on one line.</summary>
    private static string OneLine(Exception exception)
    {
        var text = exception.Message;
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (!text.Contains(inner.Message, StringComparison.Ordinal))
            {
                text += $" ({inner.Message})";
            }
        }

        return string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
