using System.Globalization;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;

namespace Oee.Benchmarks.Peers;

/// <summary>The two Hangfire set-ups measured: in memory, and on the project's PostgreSQL.</summary>
internal static class HangfirePeers
{
    public const string InMemoryMode = "hangfire-inmemory";
    public const string PostgresMode = "hangfire-postgresql";

    /// <summary>The shortest queue poll Hangfire.PostgreSql accepts without <c>AllowUnsafeValues</c>.</summary>
    private static readonly TimeSpan MinimumSafePoll = TimeSpan.FromMilliseconds(50);

    /// <summary>Hangfire.InMemory 1.0 with its default options (fetching is signalled, there is no poll).</summary>
    public static Task<IPeer> StartInMemoryAsync(int? workers, CancellationToken cancellationToken)
    {
        var storage = new InMemoryStorage(new InMemoryStorageOptions());
        IPeer peer = HangfirePeer.Start(
            InMemoryMode,
            "Hangfire.InMemory (in-process server and client)",
            storage,
            workers ?? PeerSettings.HangfireInMemoryWorkers,
            new Dictionary<string, string>(),
            PeerSettings.MemoryCompletionPoll);
        return Task.FromResult(peer);
    }

    /// <summary>
    /// Hangfire.PostgreSql 1.21 on a fresh database of the project's server: schema prepared by
    /// Hangfire, queue poll interval <paramref name="poll"/> (below 50 ms with <c>AllowUnsafeValues</c>),
    /// other options at their defaults.
    /// </summary>
    public static async Task<IPeer> StartPostgresAsync(string serverConnectionString, TimeSpan poll, int? workers, CancellationToken cancellationToken)
    {
        var database = await HangfireDatabase.CreateAsync(serverConnectionString, cancellationToken);
        try
        {
            var options = new PostgreSqlStorageOptions
            {
                // Below 50 ms Hangfire.PostgreSql refuses the interval unless told that it is meant.
                AllowUnsafeValues = poll < MinimumSafePoll,
                QueuePollInterval = poll,
                PrepareSchemaIfNecessary = true,
            };
            var storage = new PostgreSqlStorage(new NpgsqlConnectionFactory(database.ConnectionString, options), options);
            var pollText = Milliseconds(poll);
            return HangfirePeer.Start(
                PostgresMode,
                $"Hangfire.PostgreSql (database {HangfireDatabase.Name}, queue poll {pollText})",
                storage,
                workers ?? PeerSettings.HangfirePostgresWorkers,
                new Dictionary<string, string> { ["poll"] = pollText },
                PeerSettings.PostgresCompletionPoll,
                database);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    public static string Milliseconds(TimeSpan span) => string.Create(CultureInfo.InvariantCulture, $"{span.TotalMilliseconds:0}ms");
}
