using System.Globalization;
using Oee.Benchmarks.Cli;
using Oee.Benchmarks.Hosting;
using Oee.Benchmarks.Targets;

namespace Oee.Benchmarks.Scenarios;

/// <summary>What every scenario gets: the options, where things are, how to start targets, and a progress log.</summary>
internal sealed class BenchContext(BenchOptions options, RepoPaths paths, string logDir, TextWriter progress)
{
    private readonly string runTag = "b" + DateTime.UtcNow.ToString("MMddHHmmss", CultureInfo.InvariantCulture);

    public BenchOptions Options { get; } = options;

    public RepoPaths Paths { get; } = paths;

    public string LogDir { get; } = logDir;

    public TargetFactory Targets { get; } = new(paths, logDir);

    /// <summary>Text printed on stdout after the figures' table (the compare scenario's bars).</summary>
    public List<string> Sections { get; } = [];

    /// <summary>A queue name unique to this benchmark run, so that no run sees another's tasks or settings.</summary>
    public string QueueName(string label) => $"{runTag}-{label}";

    /// <summary>PostgreSQL for a scenario: the server --pg names, or the project's own through scripts/pg.sh.</summary>
    public async Task<PostgresServer> StartPostgresAsync(string scenario, CancellationToken cancellationToken)
    {
        Say($"{scenario}: starting PostgreSQL ({(Options.Postgres is null ? "scripts/pg.sh start" : "--pg")})");
        return await PostgresServer.StartAsync(Paths, Options.Postgres, cancellationToken);
    }

    /// <summary>A progress line on stderr (stdout carries only the results).</summary>
    public void Say(string message) =>
        progress.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
}
