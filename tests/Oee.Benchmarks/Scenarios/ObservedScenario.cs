using System.Globalization;
using Oee.Benchmarks.Load;
using Oee.Benchmarks.Measurement;
using Oee.Benchmarks.Targets;

namespace Oee.Benchmarks.Scenarios;

/// <summary>
/// <c>observed</c>: the in-process drain with everything a watched deployment turns on (events published
/// and a subscriber receiving every event of the queue, the default metrics, and <c>/metrics</c> scraped
/// over HTTP every second) next to the same drain with all of it off (no events, no metrics, no traces,
/// nobody watching), in one run: rounds alternate off and on after the warm-up rounds, each drain on a
/// fresh silo host of the same kind (a web host; the settings are per host), and the paired per-round
/// ratio on / off is printed.
/// </summary>
internal sealed class ObservedScenario : IScenario
{
    /// <summary>Every second: a harder scrape than Prometheus' usual 15 s, so that a drain of seconds is scraped several times.</summary>
    public static readonly TimeSpan ScrapeInterval = TimeSpan.FromSeconds(1);

    private static readonly (string Name, bool On, Dictionary<string, string> Settings)[] Variants =
    [
        ("off", false, new() { ["Oee:Events:Enabled"] = "false", ["Oee:Telemetry:Metrics"] = "false", ["Oee:Telemetry:Tracing"] = "false" }),
        ("on", true, new()),
    ];

    public string Name => "observed";

    public string Summary => "in-process drain with events + subscriber + metrics scraped from /metrics, next to the drain with all of it off, alternating; ratio on/off";

    public async Task<IReadOnlyList<Figure>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var count = options.Count ?? DrainScenario.DefaultCount;
        var series = Variants.Select(_ => new RunSeries()).ToArray();
        for (var round = 1 - options.Warmups; round <= options.Runs; round++)
        {
            var line = new List<string>();
            for (var v = 0; v < Variants.Length; v++)
            {
                var (name, on, settings) = Variants[v];
                var target = TargetSettings.Of(Cli.TargetKind.InProc, options.Concurrency);
                foreach (var (key, value) in settings)
                {
                    target = target.With(key, value);
                }

                var (silo, metrics) = await ScrapedSiloTarget.StartAsync(target, serveMetrics: on, cancellationToken);
                await using var owned = silo;
                var tag = round + options.Warmups;

                // A short drain first in every host: the first tasks of a new silo activate its queue and grains.
                await new DrainRun(context, silo, BenchTask.Echo, BenchTask.EmptyInput, Math.Max(1, count / 10)).RunAsync(context.QueueName($"{Name}-{name}-prime-{tag}"), cancellationToken);
                var drain = new DrainRun(context, silo, BenchTask.Echo, BenchTask.EmptyInput, count);
                var queue = context.QueueName($"{Name}-{name}-r{tag}");
                IReadOnlyList<Measure> measures;
                if (on)
                {
                    await using var scraper = MetricsScraper.Start(metrics!, ScrapeInterval);
                    measures = await new WatchedDrainRun(silo, drain, count).RunAsync(queue, cancellationToken);
                    measures = [.. measures, new Measure("scrapes", scraper.Scrapes, "scrapes")];
                }
                else
                {
                    measures = await drain.RunAsync(queue, cancellationToken);
                }

                if (round >= 1)
                {
                    series[v].AddMeasured(measures);
                }

                line.Add(on
                    ? $"{name} {measures[0].Value:0} ({Value(measures, "events received per task"):0.00} events/task, {Value(measures, "scrapes"):0} scrapes)"
                    : $"{name} {measures[0].Value:0}");
            }

            context.Say($"{Name}: {(round >= 1 ? $"run {round}/{options.Runs}" : "warm-up")}: {string.Join(", ", line)} tasks/s");
        }

        var figures = new List<Figure>();
        for (var v = 0; v < Variants.Length; v++)
        {
            var parameters = new Dictionary<string, string>
            {
                ["mode"] = "inproc",
                ["observed"] = Variants[v].Name,
                ["count"] = count.ToString(CultureInfo.InvariantCulture),
                ["concurrency"] = options.Concurrency.ToString(CultureInfo.InvariantCulture),
            };
            figures.AddRange(series[v].ToFigures($"{Name} {Variants[v].Name}", parameters, includeCold: false));
        }

        // Paired by round (the same minute of a busy machine), then the median of the ratios.
        var ratios = series[1].Samples("throughput").Zip(series[0].Samples("throughput"), (on, off) => on / off).ToList();
        context.Say($"{Name}: on / off = {Stats.Median(ratios):0.00} (median of the per-round ratios: {string.Join(", ", ratios.Select(r => r.ToString("0.00", CultureInfo.InvariantCulture)))})");
        return figures;
    }

    private static double Value(IReadOnlyList<Measure> measures, string name) => measures.First(m => m.Name == name).Value;
}
