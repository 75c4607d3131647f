using System.Globalization;
using Oee.Benchmarks.Measurement;
using Oee.Benchmarks.Targets;

namespace Oee.Benchmarks.Scenarios;

/// <summary>
/// <c>telemetry</c>: the in-process drain with telemetry off, with OEE's meter alone, with the defaults (OEE's
/// and Orleans' meters collected for a reader every 15 s, as a scraped silo; no traces without an OTLP
/// endpoint), and with traces (and their propagation over grain calls) sent over
/// OTLP at the default sample ratio (to a closed local port: spans are made, sampled and queued, then
/// dropped when the export fails). Each run starts its own silo (the settings are per host); rounds
/// alternate the three, after warm-up rounds, so that none gets the warmer process or the quieter minute.
/// </summary>
internal sealed class TelemetryScenario : IScenario
{
    public const int DefaultCount = 20_000;

    private static readonly (string Name, Dictionary<string, string> Settings)[] Variants =
    [
        ("off", new() { ["Oee:Telemetry:Metrics"] = "false", ["Oee:Telemetry:Tracing"] = "false" }),
        ("OEE metrics only", new() { ["Oee:Telemetry:OrleansMetrics"] = "false" }),
        ("metrics (default)", new()),
        ("metrics + Orleans' activation instruments", new() { ["Oee:Telemetry:OrleansActivationMetrics"] = "true" }),
        ("metrics + traces", new() { ["Oee:Telemetry:OtlpEndpoint"] = "http://127.0.0.1:9" }),
    ];

    public string Name => "telemetry";

    public string Summary => "in-process drain with telemetry off, OEE's meter only, the defaults, the defaults with Orleans' per-call and per-activation instruments, and with traces over OTLP, alternating";

    public async Task<IReadOnlyList<Figure>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var count = options.Count ?? DefaultCount;
        var series = Variants.Select(_ => new RunSeries()).ToArray();
        for (var round = 1 - options.Warmups; round <= options.Runs; round++)
        {
            var line = new List<string>();
            for (var v = 0; v < Variants.Length; v++)
            {
                var (name, settings) = Variants[v];
                var target = TargetSettings.Of(Cli.TargetKind.InProc, options.Concurrency);
                foreach (var (key, value) in settings)
                {
                    target = target.With(key, value);
                }

                await using var silo = await context.Targets.StartAsync(target, cancellationToken);
                var drain = new DrainRun(context, silo, BenchTask.Echo, BenchTask.EmptyInput, count);

                // A short drain first in every host: the first tasks of a new silo activate its queue and grains.
                await new DrainRun(context, silo, BenchTask.Echo, BenchTask.EmptyInput, Math.Max(1, count / 10)).RunAsync(context.QueueName($"{Name}-{v}-prime-{round + options.Warmups}"), cancellationToken);
                var measures = await drain.RunAsync(context.QueueName($"{Name}-{v}-r{round + options.Warmups}"), cancellationToken);
                if (round >= 1)
                {
                    series[v].AddMeasured(measures);
                }

                line.Add($"{name} {measures[0].Value:0}");
            }

            context.Say($"{Name}: {(round >= 1 ? $"run {round}/{options.Runs}" : "warm-up")}: {string.Join(", ", line)} tasks/s");
        }

        var figures = new List<Figure>();
        for (var v = 0; v < Variants.Length; v++)
        {
            var parameters = new Dictionary<string, string>
            {
                ["mode"] = "inproc",
                ["telemetry"] = Variants[v].Name,
                ["count"] = count.ToString(CultureInfo.InvariantCulture),
                ["concurrency"] = options.Concurrency.ToString(CultureInfo.InvariantCulture),
            };
            figures.AddRange(series[v].ToFigures($"{Name} {Variants[v].Name}", parameters, includeCold: false));
        }

        for (var v = 1; v < Variants.Length; v++)
        {
            // Paired by round (the same minute of a busy machine), then the median of the ratios.
            var ratios = series[v].Samples("throughput").Zip(series[0].Samples("throughput"), (x, off) => x / off).ToList();
            context.Say($"{Name}: {Variants[v].Name} / off = {Stats.Median(ratios):0.00} (median of the per-round ratios: {string.Join(", ", ratios.Select(r => r.ToString("0.00", CultureInfo.InvariantCulture)))})");
        }

        return figures;
    }
}
