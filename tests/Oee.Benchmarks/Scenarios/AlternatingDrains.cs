using System.Globalization;
using Oee.Benchmarks.Measurement;
using Oee.Benchmarks.Targets;

namespace Oee.Benchmarks.Scenarios;

/// <summary>
/// Drains of targets that differ only in their settings (engine settings; for client and REST targets also their
/// processes' environment), in alternating rounds: each round starts a target per variant, primes it with a short
/// drain (a new silo's first tasks activate its queue and grains) and measures one drain; the variants' order
/// turns round every round, so that none always runs first or last in a round. This VM's speed drifts from minute
/// to minute by more than many changes are worth (docs/BENCHMARKS.md, session 17), whereas neighbouring rounds run
/// at the same speed: the per-round ratios to the first variant, and their median, tell variants apart where
/// separate invocations cannot.
/// </summary>
internal static class AlternatingDrains
{
    /// <summary>Runs the rounds (the warm-up rounds first, unmeasured) and prints each round's ratios to the first variant.</summary>
    public static async Task<RunSeries[]> RunAsync(
        BenchContext context, string scenario, IReadOnlyList<(string Name, TargetSettings Target)> variants, int count, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var series = variants.Select(_ => new RunSeries()).ToArray();
        for (var round = 1 - options.Warmups; round <= options.Runs; round++)
        {
            var line = new string[variants.Count];
            var order = Enumerable.Range(0, variants.Count).ToArray();
            if ((round + options.Warmups) % 2 == 0)
            {
                Array.Reverse(order);
            }

            foreach (var v in order)
            {
                var (name, target) = variants[v];
                await using var started = await context.Targets.StartAsync(target, cancellationToken);
                var label = $"{scenario}-{v}-r{round + options.Warmups}";
                await new DrainRun(context, started, BenchTask.Echo, BenchTask.EmptyInput, Math.Max(1, count / 10)).RunAsync(context.QueueName($"{label}-prime"), cancellationToken);
                var measures = await new DrainRun(context, started, BenchTask.Echo, BenchTask.EmptyInput, count).RunAsync(context.QueueName(label), cancellationToken);
                if (round >= 1)
                {
                    series[v].AddMeasured(measures);
                }

                line[v] = $"{name} {measures[0].Value:0}";
            }

            context.Say($"{scenario}: {(round >= 1 ? $"run {round}/{options.Runs}" : "warm-up")}: {string.Join(", ", line)} tasks/s");
        }

        for (var v = 1; v < variants.Count; v++)
        {
            var ratios = Ratios(series[v], series[0]);
            context.Say($"{scenario}: {variants[v].Name} / {variants[0].Name} = {Stats.Median(ratios):0.00} (median of the per-round ratios: {string.Join(", ", ratios.Select(r => r.ToString("0.00", CultureInfo.InvariantCulture)))})");
        }

        return series;
    }

    /// <summary>Tasks/s of <paramref name="variant"/> over <paramref name="reference"/>'s, round by round.</summary>
    public static IReadOnlyList<double> Ratios(RunSeries variant, RunSeries reference) =>
        [.. variant.Samples("throughput").Zip(reference.Samples("throughput"), (x, r) => x / r)];
}
