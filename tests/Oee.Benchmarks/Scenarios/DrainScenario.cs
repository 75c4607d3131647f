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
/// (<see cref="CardFloorDrain"/>), and every OEE figure as a ratio to theirs.
/// </summary>
internal sealed class DrainScenario : IScenario
{
    public const int DefaultCount = 30_000;

    public string Name => "drain";

    public string Summary => "echo tasks as fast as possible: tasks/s first submit -> last done, peak RSS (modes inproc, client, rest); beside Hangfire.InMemory, Quartz RAM, the bare-grain floor and the card floor";

    public async Task<IReadOnlyList<Figure>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var modes = options.Modes ?? [TargetKind.InProc, TargetKind.Client, TargetKind.Rest];
        return await MeasureAllAsync(context, Name, modes, options.Count ?? DefaultCount, withPeers: !options.NoPeers, options.ColdStarts ?? 0, cancellationToken);
    }

    /// <summary>
    /// OEE's modes first (so that the in-process cold run is this process's first), then the peers and
    /// the floor, then the ratios. With <paramref name="coldStarts"/> above 0, each mode's cold figures
    /// are instead those of as many fresh processes (<see cref="FreshColdRuns"/>).
    /// </summary>
    public static async Task<IReadOnlyList<Figure>> MeasureAllAsync(
        BenchContext context, string scenario, IReadOnlyList<TargetKind> modes, int count, bool withPeers, int coldStarts, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var figures = new List<Figure>();
        foreach (var mode in modes)
        {
            var settings = TargetSettings.Of(mode, options.Concurrency);
            var measured = (await MeasureAsync(context, scenario, settings, count, cancellationToken)).ToList();
            if (coldStarts > 0)
            {
                var parameters = measured.First(f => f.Name == Ratios.Throughput).Parameters;
                measured.RemoveAll(f => f.Name.EndsWith(" (cold)", StringComparison.Ordinal));
                measured.AddRange(await FreshColdRuns.MeasureAsync(context, scenario, mode, count, coldStarts, parameters, cancellationToken));
            }

            figures.AddRange(measured);
        }

        if (withPeers)
        {
            figures.AddRange(await PeerMeasurement.DrainAsync(context, scenario, ct => HangfirePeers.StartInMemoryAsync(options.PeerWorkers, ct), count, cancellationToken));
            figures.AddRange(await PeerMeasurement.DrainAsync(context, scenario, ct => QuartzPeer.StartAsync(options.PeerWorkers, ct), count, cancellationToken));
            figures.AddRange(await FloorDrain.MeasureAsync(context, scenario, count, cancellationToken));
            figures.AddRange(await CardFloorDrain.MeasureAsync(context, scenario, count, cancellationToken));
        }

        figures.AddRange(Ratios.Drain(figures, scenario));
        return figures;
    }

    /// <summary>Starts the target, drains warm-up and measured runs, stops it; shared with <c>durable</c>.</summary>
    public static async Task<IEnumerable<Figure>> MeasureAsync(
        BenchContext context, string scenario, TargetSettings settings, int count, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var mode = TargetNames.Of(settings.Kind);
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
        var parameters = new Dictionary<string, string>
        {
            ["mode"] = mode,
            ["count"] = count.ToString(CultureInfo.InvariantCulture),
            ["concurrency"] = options.Concurrency.ToString(CultureInfo.InvariantCulture),
        };
        if (options.Batch > 1)
        {
            parameters["batch"] = options.Batch.ToString(CultureInfo.InvariantCulture);
        }

        return series.ToFigures(scenario, parameters, includeCold: true);
    }
}
