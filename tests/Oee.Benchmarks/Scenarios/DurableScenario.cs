using Oee.Benchmarks.Cli;
using Oee.Benchmarks.Hosting;
using Oee.Benchmarks.Load;
using Oee.Benchmarks.Measurement;
using Oee.Benchmarks.Targets;

namespace Oee.Benchmarks.Scenarios;

/// <summary>
/// <c>durable</c>: drain and latency with <c>Oee:PostgreSql:ConnectionString</c> set (storage and
/// clustering in PostgreSQL). PostgreSQL comes from scripts/pg.sh unless --pg gives a connection string.
/// A probe first proves that the silo really writes to the database.
/// </summary>
internal sealed class DurableScenario : IScenario
{
    public const string ConnectionStringKey = "Oee:PostgreSql:ConnectionString";
    public const int DefaultCount = 5_000;
    private const int ProbeTasks = 200;

    public string Name => "durable";

    public string Summary => "drain (modes, default inproc) and latency (rates, default 100/s) against PostgreSQL (scripts/pg.sh or --pg)";

    public async Task<IReadOnlyList<Figure>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var postgres = await context.StartPostgresAsync(Name, cancellationToken);
        await ProveDurableModeAsync(context, postgres, cancellationToken);

        var figures = new List<Figure>();
        foreach (var mode in options.Modes ?? [TargetKind.InProc])
        {
            var settings = TargetSettings.Of(mode, options.Concurrency).With(ConnectionStringKey, postgres.ConnectionString);
            figures.AddRange(await DrainScenario.MeasureAsync(context, Name, settings, options.Count ?? DefaultCount, cancellationToken));
        }

        var latencySettings = TargetSettings.Of(options.Target ?? TargetKind.InProc, options.Concurrency)
            .With(ConnectionStringKey, postgres.ConnectionString);
        figures.AddRange(await LatencyScenario.MeasureAsync(context, Name, latencySettings, options.Rates ?? [100], cancellationToken));
        return figures;
    }

    /// <summary>Fails clearly when the engine ignores the setting (PostgreSQL mode not implemented yet).</summary>
    private async Task ProveDurableModeAsync(BenchContext context, PostgresServer postgres, CancellationToken cancellationToken)
    {
        var before = await postgres.CountRowsAsync(cancellationToken);
        var settings = TargetSettings.Of(TargetKind.InProc, context.Options.Concurrency).With(ConnectionStringKey, postgres.ConnectionString);
        await using (var target = await context.Targets.StartAsync(settings, cancellationToken))
        {
            var queue = context.QueueName($"{Name}-probe");
            await target.ConfigureQueueAsync(queue, context.Options.MaxConcurrency, paused: false, cancellationToken);
            var start = System.Diagnostics.Stopwatch.GetTimestamp();
            await ClosedLoop.SubmitAsync(target, queue, BenchTask.Echo, BenchTask.EmptyInput, ProbeTasks, 16, null, cancellationToken);
            await CompletionWaiter.WaitForFinishedAsync(target, queue, ProbeTasks, start, TimeSpan.FromSeconds(60), cancellationToken);
        }

        var after = await postgres.CountRowsAsync(cancellationToken);
        context.Say($"{Name}: probe of {ProbeTasks} tasks changed the database from {before} to {after} rows");
        if (after < before + ProbeTasks)
        {
            throw new BenchmarkFailedException(
                $"PostgreSQL mode is not in effect: a silo started with {ConnectionStringKey} ran {ProbeTasks} tasks but the database " +
                $"gained {after - before} rows (expected at least {ProbeTasks} task records). Is PostgreSQL mode implemented in this build? " +
                "The durable scenario measures nothing until it is.");
        }
    }
}
