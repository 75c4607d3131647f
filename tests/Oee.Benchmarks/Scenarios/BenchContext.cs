using System.Globalization;
using Oee.Benchmarks.Cli;
using Oee.Benchmarks.Hosting;
using Oee.Benchmarks.Targets;

namespace Oee.Benchmarks.Scenarios;

/// <summary>What every scenario gets: the options, where things are, how to start targets, and a progress log.</summary>
internal sealed class BenchContext
{
    private readonly string runTag;
    private readonly TextWriter progress;

    public BenchContext(BenchOptions options, RepoPaths paths, string logDir, TextWriter progress)
        : this(options, paths, logDir, progress, "b" + DateTime.UtcNow.ToString("MMddHHmmss", CultureInfo.InvariantCulture), [], [], round: null)
    {
    }

    private BenchContext(BenchOptions options, RepoPaths paths, string logDir, TextWriter progress, string runTag, List<string> sections, List<string> missing, int? round)
    {
        Options = options;
        Paths = paths;
        LogDir = logDir;
        this.progress = progress;
        this.runTag = runTag;
        Sections = sections;
        Missing = missing;
        Round = round;
        Targets = new(paths, logDir);
    }

    public BenchOptions Options { get; }

    public RepoPaths Paths { get; }

    public string LogDir { get; }

    public TargetFactory Targets { get; }

    /// <summary>Text printed on stdout after the figures' table (the compare scenario's bars).</summary>
    public List<string> Sections { get; }

    /// <summary>
    /// What the run left out (a peer that failed, so its figures, ratios and bars are missing): the figures are still
    /// printed, and the benchmark then ends with a non-zero exit code naming these.
    /// </summary>
    public List<string> Missing { get; }

    /// <summary>Which round of an interleaved comparison this context measures (<see cref="ForRound"/>); null outside one.</summary>
    public int? Round { get; }

    /// <summary>
    /// The context of one round of an interleaved comparison: the same options but <paramref name="warmups"/>
    /// and <paramref name="runs"/>, queue names of the round's own, the same progress log and sections.
    /// </summary>
    public BenchContext ForRound(int round, int warmups, int runs) =>
        new(Options with { Warmups = warmups, Runs = runs }, Paths, LogDir, progress, $"{runTag}r{round}", Sections, Missing, round);

    /// <summary>
    /// The same context (round, queue names, log) with submits sent as <paramref name="calls"/> calls in flight of
    /// <paramref name="batch"/> tasks each (above 1: the batch submit), as <c>--concurrency</c> and <c>--batch</c> would.
    /// </summary>
    public BenchContext WithSubmits(int calls, int batch) =>
        new(Options with { Concurrency = calls, Batch = batch }, Paths, LogDir, progress, runTag, Sections, Missing, Round);

    /// <summary>A queue name unique to this benchmark run, so that no run sees another's tasks or settings.</summary>
    public string QueueName(string label) => $"{runTag}-{label}";

    /// <summary>PostgreSQL for a scenario: the server --pg names, or the project's own through scripts/pg.sh.</summary>
    public async Task<PostgresServer> StartPostgresAsync(string scenario, CancellationToken cancellationToken)
    {
        Say($"{scenario}: starting PostgreSQL ({(Options.Postgres is null ? "scripts/pg.sh start" : "--pg")})");
        return await PostgresServer.StartAsync(Paths, Options.Postgres, cancellationToken);
    }

    /// <summary>
    /// Records that <paramref name="scenario"/> left something out (<paramref name="what"/>, e.g. a peer that failed): a
    /// warning in the progress log, with the round, and an entry of <see cref="Missing"/>.
    /// </summary>
    public void LeaveOut(string scenario, string what)
    {
        var entry = $"{scenario}{(Round is { } round ? $" (round {round})" : "")}: {what}";
        Say($"warning: {entry}");
        Missing.Add(entry);
    }

    /// <summary>A progress line on stderr (stdout carries only the results), with the round when there is one.</summary>
    public void Say(string message) =>
        progress.WriteLine($"[{DateTime.Now:HH:mm:ss}] {(Round is { } round ? $"(round {round}) " : "")}{message}");
}
