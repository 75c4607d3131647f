using System.Globalization;
using Oee.Benchmarks.Cli;
using Oee.Benchmarks.Comparison;
using Oee.Benchmarks.Floor;
using Oee.Benchmarks.Measurement;
using Oee.Benchmarks.Peers;
using Oee.Benchmarks.Targets;

namespace Oee.Benchmarks.Scenarios;

/// <summary>
/// <c>drain</c>: echo tasks submitted as fast as possible, tasks/s from the first submit until
/// the last is done; in-process, through an Orleans client and over REST. Then, unless --no-peers,
/// the same no-op workload on Hangfire.InMemory and Quartz RAM, the bare-grain floor and the card floor
/// (<see cref="CardFloorDrain"/>), for each REST mode the HTTP floor (<see cref="HttpFloorDrain"/>), and every
/// OEE figure as a ratio to theirs.
/// </summary>
internal sealed class DrainScenario : IScenario
{
    public const int DefaultCount = 30_000;

    public string Name => "drain";

    public string Summary => "echo tasks as fast as possible: tasks/s first submit -> last done, peak RSS (modes inproc, client, rest, rest-h2); beside Hangfire.InMemory, Quartz RAM, the bare-grain floor, the card floor and the HTTP floor";

    public async Task<IReadOnlyList<Figure>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var modes = options.Modes ?? [TargetKind.InProc, TargetKind.Client, TargetKind.Rest, TargetKind.RestHttp2];
        return await MeasureAllAsync(context, Name, modes, options.Count ?? DefaultCount, withPeers: !options.NoPeers, options.ColdStarts ?? 0, cancellationToken);
    }

    /// <summary>
    /// Every target in turn, OEE's modes first (so that the in-process cold run is this process's first), then the
    /// peers and the floors, in <c>--runs</c> rounds of one measured run each, so that a ratio's two sides are
    /// measured minutes apart at most (this VM's speed drifted by 25 % within ten minutes, session 14): each
    /// target is started anew in every round and warmed up first, as <c>--warmup</c> says in the first round
    /// (whose first warm-up is the cold figure) and for targets in child processes (each round's process is
    /// new), once for those in this process after the first round. Then the ratios, each the median of the rounds' own. With
    /// <paramref name="coldStarts"/> above 0, each mode's cold figures are instead those of as many fresh
    /// processes (<see cref="FreshColdRuns"/>). Each of <paramref name="batched"/> runs after the modes in every round, as a
    /// child-process target of its own (warm figures only: it has no cold bar).
    /// </summary>
    public static async Task<IReadOnlyList<Figure>> MeasureAllAsync(
        BenchContext context,
        string scenario,
        IReadOnlyList<TargetKind> modes,
        int count,
        bool withPeers,
        int coldStarts,
        CancellationToken cancellationToken,
        IReadOnlyList<BatchedDrain>? batched = null)
    {
        var options = context.Options;
        var rounds = options.Runs;
        var warm = new List<Figure>();
        var cold = new List<Figure>();
        void Keep(int round, IEnumerable<Figure> measured)
        {
            foreach (var figure in measured)
            {
                // The cold figures are the first round's: later rounds run in a warm benchmark process (and its JIT).
                if (!IsCold(figure))
                {
                    warm.Add(figure);
                }
                else if (round == 1)
                {
                    cold.Add(figure);
                }
            }
        }

        for (var round = 1; round <= rounds; round++)
        {
            var inThisProcess = context.ForRound(round, round == 1 ? options.Warmups : Math.Min(1, options.Warmups), runs: 1);
            var inChildProcesses = context.ForRound(round, options.Warmups, runs: 1);
            foreach (var mode in modes)
            {
                var settings = TargetSettings.Of(mode, options.Concurrency);
                Keep(round, await MeasureAsync(mode == TargetKind.InProc ? inThisProcess : inChildProcesses, scenario, settings, count, cancellationToken));
            }

            foreach (var variant in batched ?? [])
            {
                // A connection per call in flight over HTTP/1.1, as the single submits have.
                var settings = TargetSettings.Of(variant.Kind, variant.Calls);
                Keep(round, await MeasureAsync(
                    inChildProcesses.WithSubmits(variant.Calls, variant.Batch), scenario, settings, count, cancellationToken, variant.Mode, includeCold: false));
            }

            if (withPeers)
            {
                Keep(round, await PeerMeasurement.DrainAsync(inThisProcess, scenario, HangfirePeers.InMemoryMode, ct => HangfirePeers.StartInMemoryAsync(options.PeerWorkers, ct), count, cancellationToken));
                Keep(round, await PeerMeasurement.DrainAsync(inThisProcess, scenario, QuartzPeer.ModeName, ct => QuartzPeer.StartAsync(options.PeerWorkers, ct), count, cancellationToken));
                Keep(round, await PeerInOwnProcess.DrainAsync(inChildProcesses, scenario, HangfirePeers.InMemoryMode, count, cancellationToken));
                Keep(round, await PeerInOwnProcess.DrainAsync(inChildProcesses, scenario, QuartzPeer.ModeName, count, cancellationToken));
                Keep(round, await FloorDrain.MeasureAsync(inThisProcess, scenario, count, cancellationToken));
                Keep(round, await CardFloorDrain.MeasureAsync(inThisProcess, scenario, count, cancellationToken));
                // The HTTP floor sends one task per request: beside batch submits it would be no floor.
                if (modes.Contains(TargetKind.Rest) && options.Batch <= 1)
                {
                    Keep(round, await HttpFloorDrain.MeasureAsync(inChildProcesses, scenario, http2: false, count, cancellationToken));
                }

                if (modes.Contains(TargetKind.RestHttp2) && options.Batch <= 1)
                {
                    Keep(round, await HttpFloorDrain.MeasureAsync(inChildProcesses, scenario, http2: true, count, cancellationToken));
                }
            }
        }

        var figures = MergedRounds.Of(warm).Concat(cold).ToList();
        foreach (var mode in coldStarts > 0 ? modes : [])
        {
            var parameters = figures.First(f => f.Name == Ratios.Throughput && f.Parameters.GetValueOrDefault("mode") == TargetNames.Of(mode)).Parameters;
            figures.RemoveAll(f => IsCold(f) && f.Parameters.GetValueOrDefault("mode") == TargetNames.Of(mode));
            figures.AddRange(await FreshColdRuns.MeasureAsync(context, scenario, mode, count, coldStarts, parameters, cancellationToken));
        }

        figures.AddRange(Ratios.Drain(figures, scenario));
        return figures;
    }

    /// <summary>The parameters of a drain's figures: the mode (or reference), tasks per run and submits in flight.</summary>
    public static Dictionary<string, string> DrainParameters(string mode, int count, int concurrency) => new()
    {
        ["mode"] = mode,
        ["count"] = count.ToString(CultureInfo.InvariantCulture),
        ["concurrency"] = concurrency.ToString(CultureInfo.InvariantCulture),
    };

    private static bool IsCold(Figure figure) => figure.Name.EndsWith(" (cold)", StringComparison.Ordinal);

    /// <summary>
    /// Starts the target, drains warm-up and measured runs, stops it; shared with <c>durable</c>. The figures' mode is
    /// <paramref name="mode"/> when given (a <see cref="BatchedDrain"/>'s), else the target kind's name.
    /// </summary>
    public static async Task<IEnumerable<Figure>> MeasureAsync(
        BenchContext context, string scenario, TargetSettings settings, int count, CancellationToken cancellationToken, string? mode = null, bool includeCold = true)
    {
        var options = context.Options;
        mode ??= TargetNames.Of(settings.Kind);
        context.Say($"{scenario} {mode}: starting the target");
        await using var target = await context.Targets.StartAsync(settings, cancellationToken);
        context.Say($"{scenario} {mode}: {target.Description}; {count} echo tasks per run, {options.Concurrency} submits in flight" +
            (options.Batch > 1 ? $" of {options.Batch} tasks each" : ""));
        var drain = new DrainRun(context, target, BenchTask.Echo, BenchTask.EmptyInput, count);
        var series = await Repetition.RunAsync(
            context,
            $"{scenario} {mode}",
            options.Warmups,
            options.Runs,
            (run, ct) => drain.RunAsync(context.QueueName($"{scenario}-{mode}-{run}"), ct),
            cancellationToken);
        var parameters = DrainParameters(mode, count, options.Concurrency);
        if (options.Batch > 1)
        {
            parameters["batch"] = options.Batch.ToString(CultureInfo.InvariantCulture);

            // Since session 19 the batch targets have created and existing tasks answered without them.
            parameters["answers"] = "receipts";
        }

        return series.ToFigures(scenario, parameters, includeCold);
    }
}
