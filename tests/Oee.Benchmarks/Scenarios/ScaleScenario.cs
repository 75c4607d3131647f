using System.Globalization;
using Oee.Benchmarks.Cli;
using Oee.Benchmarks.Measurement;
using Oee.Benchmarks.Targets;

namespace Oee.Benchmarks.Scenarios;

/// <summary>
/// <c>scale</c>: delay bodies with a fixed number of worker slots per silo (or per silo its own: <c>--slots 10,30</c>), drained by 1 silo
/// process and by 2 (localhost clustering; the second joins the first) through an Orleans
/// client; tasks/s of each and the ratio.
/// </summary>
internal sealed class ScaleScenario : IScenario
{
    public const int DefaultCount = 4_000;

    public string Name => "scale";

    public string Summary => "delay bodies (--delay-ms 50), --slots 20 per silo (or silo by silo: --slots 10,30): tasks/s with 1 vs 2 silo processes and the ratio";

    public async Task<IReadOnlyList<Figure>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var count = options.Count ?? DefaultCount;
        var figures = new List<Figure>();
        var throughputs = new List<(int Silos, IReadOnlyList<double> Samples)>();
        foreach (var silos in options.SiloCounts)
        {
            var slots = Enumerable.Range(0, silos).Select(options.SlotsOf).ToList();
            var settings = new TargetSettings(TargetKind.Client, silos, new Dictionary<string, string>(), options.Concurrency)
            {
                PerSilo = [.. slots.Select(n => new Dictionary<string, string> { ["Oee:WorkerSlotsPerSilo"] = n.ToString(CultureInfo.InvariantCulture) })],
            };
            context.Say($"{Name}: starting {silos} silo process(es), worker slots {string.Join(", ", slots)}");
            await using var target = await context.Targets.StartAsync(settings, cancellationToken);
            var drain = new DrainRun(context, target, BenchTask.Delay, BenchTask.DelayInput(options.DelayMs), count);
            var series = await Repetition.RunAsync(
                context,
                $"{Name} {silos} silo(s)",
                options.Warmups,
                options.Runs,
                (run, ct) => drain.RunAsync(context.QueueName($"{Name}-{silos}-{run}"), ct),
                cancellationToken);
            figures.AddRange(series.ToFigures(Name, Parameters(options, silos, count), includeCold: false));
            throughputs.Add((silos, series.Samples("throughput")));
        }

        if (throughputs.Count >= 2)
        {
            var (baseSilos, baseSamples) = throughputs[0];
            var (topSilos, topSamples) = throughputs[^1];
            // Run i of the larger cluster over run i of the smaller one.
            var ratios = baseSamples.Zip(topSamples, (b, t) => t / b).ToList();
            var parameters = Parameters(options, topSilos, count);
            parameters["silos"] = $"{topSilos}/{baseSilos}";
            figures.Add(new Figure(Name, "throughput ratio", parameters, "x", ratios));
        }

        return figures;
    }

    private static Dictionary<string, string> Parameters(BenchOptions options, int silos, int count) => new()
    {
        ["silos"] = silos.ToString(CultureInfo.InvariantCulture),
        ["slots"] = string.Join(",", Enumerable.Range(0, silos).Select(options.SlotsOf)),
        ["delayMs"] = options.DelayMs.ToString(CultureInfo.InvariantCulture),
        ["count"] = count.ToString(CultureInfo.InvariantCulture),
    };
}
