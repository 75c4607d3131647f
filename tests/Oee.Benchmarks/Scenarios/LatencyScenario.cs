using System.Globalization;
using Oee.Benchmarks.Cli;
using Oee.Benchmarks.Comparison;
using Oee.Benchmarks.Measurement;
using Oee.Benchmarks.Peers;
using Oee.Benchmarks.Targets;

namespace Oee.Benchmarks.Scenarios;

/// <summary>
/// <c>latency</c>: open-loop submits at fixed rates; submit->start and submit->done percentiles; then,
/// unless --no-peers, Hangfire.InMemory's submit->start at the same rates and OEE's as a ratio to it.
/// </summary>
internal sealed class LatencyScenario : IScenario
{
    public string Name => "latency";

    public string Summary => "open-loop echo submits at fixed rates: submit->start / submit->done p50 p95 p99 max (target inproc); beside Hangfire.InMemory";

    public async Task<IReadOnlyList<Figure>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var settings = TargetSettings.Of(options.Target ?? TargetKind.InProc, options.Concurrency);
        return await MeasureAllAsync(context, Name, settings, options.Rates ?? [100, 1000], !options.NoPeers, cancellationToken);
    }

    /// <summary>OEE's runs, then Hangfire.InMemory's at the same rates, then the ratios.</summary>
    public static async Task<IReadOnlyList<Figure>> MeasureAllAsync(
        BenchContext context, string scenario, TargetSettings settings, IReadOnlyList<int> rates, bool withPeers, CancellationToken cancellationToken)
    {
        var figures = new List<Figure>(await MeasureAsync(context, scenario, settings, rates, cancellationToken));
        if (withPeers)
        {
            figures.AddRange(await PeerMeasurement.LatencyAsync(
                context, scenario, ct => HangfirePeers.StartInMemoryAsync(context.Options.PeerWorkers, ct), rates, cancellationToken));
        }

        figures.AddRange(Ratios.Latency(figures, scenario, HangfirePeers.InMemoryMode));
        return figures;
    }

    /// <summary>Starts the target once and measures each rate; shared with <c>durable</c>.</summary>
    public static async Task<IEnumerable<Figure>> MeasureAsync(
        BenchContext context, string scenario, TargetSettings settings, IReadOnlyList<int> rates, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var mode = TargetNames.Of(settings.Kind);
        context.Say($"{scenario} {mode}: starting the target");
        await using var target = await context.Targets.StartAsync(settings, cancellationToken);
        var figures = new List<Figure>();
        foreach (var rate in rates)
        {
            var count = Math.Max(2, (int)Math.Round(rate * options.Seconds));
            context.Say($"{scenario} {mode}: {rate}/s for {options.Seconds:0.#} s ({count} tasks per run), {target.Description}");
            var run = new LatencyRun(context, target, rate, count);
            var series = await Repetition.RunAsync(
                context,
                $"{scenario} {mode} {rate}/s",
                options.Warmups,
                options.Runs,
                (label, ct) => run.RunAsync(context.QueueName($"{scenario}-{mode}-{rate}-{label}"), ct),
                cancellationToken);
            var parameters = new Dictionary<string, string>
            {
                ["mode"] = mode,
                ["rate"] = rate.ToString(CultureInfo.InvariantCulture),
                ["count"] = count.ToString(CultureInfo.InvariantCulture),
            };
            figures.AddRange(series.ToFigures(scenario, parameters, includeCold: false));
        }

        return figures;
    }
}
