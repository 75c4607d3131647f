using System.Globalization;
using Oee.Benchmarks.Cli;
using Oee.Benchmarks.Measurement;
using Oee.Benchmarks.Targets;

namespace Oee.Benchmarks.Scenarios;

/// <summary>
/// <c>telemetry</c>: the in-process drain with telemetry off, with OEE's meter alone, with the defaults (OEE's
/// and Orleans' meters collected for a reader every 15 s, as a scraped silo; no traces without an OTLP
/// endpoint), and with traces (and their propagation over grain calls) sent over
/// OTLP at the default sample ratio (to a closed local port: spans are made, sampled and queued, then
/// dropped when the export fails). Each run starts its own silo (the settings are per host); rounds
/// alternate the variants, after warm-up rounds, their order turned round every round (<see cref="AlternatingDrains"/>),
/// so that none gets the warmer process or the quieter minute.
/// </summary>
internal sealed class TelemetryScenario : IScenario
{
    public const int DefaultCount = 20_000;

    private static readonly (string Name, IReadOnlyDictionary<string, string> Settings)[] Variants =
    [
        ("off", new Dictionary<string, string> { ["Oee:Telemetry:Metrics"] = "false", ["Oee:Telemetry:Tracing"] = "false" }),
        ("OEE metrics only", new Dictionary<string, string> { ["Oee:Telemetry:OrleansMetrics"] = "false" }),
        ("metrics (default)", new Dictionary<string, string>()),
        ("metrics + Orleans' activation instruments", new Dictionary<string, string> { ["Oee:Telemetry:OrleansActivationMetrics"] = "true" }),
        ("metrics + traces", new Dictionary<string, string> { ["Oee:Telemetry:OtlpEndpoint"] = "http://127.0.0.1:9" }),
    ];

    public string Name => "telemetry";

    public string Summary => "in-process drain with telemetry off, OEE's meter only, the defaults, the defaults with Orleans' per-call and per-activation instruments, and with traces over OTLP, alternating";

    public async Task<IReadOnlyList<Figure>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var count = options.Count ?? DefaultCount;
        var series = await AlternatingDrains.RunAsync(
            context, Name, [.. Variants.Select(v => (v.Name, TargetSettings.Of(TargetKind.InProc, options.Concurrency, v.Settings)))], count, cancellationToken);
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

        return figures;
    }
}
