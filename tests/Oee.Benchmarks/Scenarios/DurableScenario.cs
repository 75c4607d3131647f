using Oee.Benchmarks.Cli;
using Oee.Benchmarks.Comparison;
using Oee.Benchmarks.Hosting;
using Oee.Benchmarks.Load;
using Oee.Benchmarks.Measurement;
using Oee.Benchmarks.Peers;
using Oee.Benchmarks.Targets;

namespace Oee.Benchmarks.Scenarios;

/// <summary>
/// <c>durable</c>: drain and latency with <c>Oee:PostgreSql:ConnectionString</c> set (storage and
/// clustering in PostgreSQL). PostgreSQL comes from scripts/pg.sh unless --pg gives a connection string.
/// A probe first proves that the silo really writes to the database. Unless --no-peers, Hangfire.PostgreSql
/// on its own database of the same server runs the same drain and latency runs (the latter with a
/// 50 ms and a 10 ms queue poll), and OEE's figures are reported as ratios to its.
/// </summary>
internal sealed class DurableScenario : IScenario
{
    public const string ConnectionStringKey = "Oee:PostgreSql:ConnectionString";
    public const int DefaultCount = 5_000;

    /// <summary>Jobs per Hangfire.PostgreSql drain run (--peer-pg-count): it drains at ~100/s where OEE does ~1,000/s.</summary>
    public const int DefaultPeerCount = 1_000;
    private const int ProbeTasks = 200;

    public string Name => "durable";

    public string Summary => "drain (modes, default inproc) and latency (rates, default 100/s) against PostgreSQL (scripts/pg.sh or --pg); beside Hangfire.PostgreSql";

    public async Task<IReadOnlyList<Figure>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        return await MeasureAllAsync(
            context, Name, options.Modes ?? [TargetKind.InProc], options.Count ?? DefaultCount, options.Rates ?? [100], !options.NoPeers, cancellationToken);
    }

    /// <summary>PostgreSQL and the probe, OEE's drains, Hangfire.PostgreSql's drain, OEE's latency runs, Hangfire.PostgreSql's, the ratios.</summary>
    public static async Task<IReadOnlyList<Figure>> MeasureAllAsync(
        BenchContext context, string scenario, IReadOnlyList<TargetKind> modes, int count, IReadOnlyList<int> rates, bool withPeers, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var postgres = await context.StartPostgresAsync(scenario, cancellationToken);
        await ProveDurableModeAsync(context, scenario, postgres, cancellationToken);

        var figures = new List<Figure>();
        foreach (var mode in modes)
        {
            var settings = TargetSettings.Of(mode, options.Concurrency).With(ConnectionStringKey, postgres.ConnectionString);
            figures.AddRange(await DrainScenario.MeasureAsync(context, scenario, settings, count, cancellationToken));
        }

        if (withPeers)
        {
            figures.AddRange(await PeerMeasurement.DrainAsync(
                context,
                scenario,
                HangfirePeers.PostgresMode,
                ct => HangfirePeers.StartPostgresAsync(postgres.ConnectionString, PeerSettings.HangfirePostgresDrainPoll, options.PeerWorkers, ct),
                options.PeerPgCount ?? DefaultPeerCount,
                cancellationToken));
        }

        var latencySettings = TargetSettings.Of(options.Target ?? TargetKind.InProc, options.Concurrency)
            .With(ConnectionStringKey, postgres.ConnectionString);
        figures.AddRange(await LatencyScenario.MeasureAsync(context, scenario, latencySettings, rates, cancellationToken));
        if (withPeers)
        {
            foreach (var poll in PeerSettings.HangfirePostgresLatencyPolls)
            {
                figures.AddRange(await PeerMeasurement.LatencyAsync(
                    context, scenario, ct => HangfirePeers.StartPostgresAsync(postgres.ConnectionString, poll, options.PeerWorkers, ct), rates, cancellationToken));
            }
        }

        figures.AddRange(Ratios.Durable(figures, scenario));
        return figures;
    }

    /// <summary>Fails clearly when the engine ignores the setting (PostgreSQL mode not implemented yet).</summary>
    private static async Task ProveDurableModeAsync(BenchContext context, string scenario, PostgresServer postgres, CancellationToken cancellationToken)
    {
        var before = await postgres.CountRowsAsync(cancellationToken);
        var settings = TargetSettings.Of(TargetKind.InProc, context.Options.Concurrency).With(ConnectionStringKey, postgres.ConnectionString);
        await using (var target = await context.Targets.StartAsync(settings, cancellationToken))
        {
            var queue = context.QueueName($"{scenario}-probe");
            await target.ConfigureQueueAsync(queue, context.Options.MaxConcurrency, paused: false, cancellationToken);
            var start = System.Diagnostics.Stopwatch.GetTimestamp();
            await ClosedLoop.SubmitAsync(target, queue, BenchTask.Echo, BenchTask.EmptyInput, ProbeTasks, 16, null, cancellationToken);
            await CompletionWaiter.WaitForFinishedAsync(target, queue, ProbeTasks, start, TimeSpan.FromSeconds(60), cancellationToken);
        }

        var after = await postgres.CountRowsAsync(cancellationToken);
        context.Say($"{scenario}: probe of {ProbeTasks} tasks changed the database from {before} to {after} rows");
        if (after < before + ProbeTasks)
        {
            throw new BenchmarkFailedException(
                $"PostgreSQL mode is not in effect: a silo started with {ConnectionStringKey} ran {ProbeTasks} tasks but the database " +
                $"gained {after - before} rows (expected at least {ProbeTasks} task records). Is PostgreSQL mode implemented in this build? " +
                "The durable scenario measures nothing until it is.");
        }
    }
}
