using System.Globalization;
using Oee.Benchmarks.Cli;
using Oee.Benchmarks.Measurement;
using Oee.Benchmarks.Targets;

namespace Oee.Benchmarks.Scenarios;

/// <summary>
/// <c>setting</c>: what engine settings (<c>--setting key=value</c>, repeatable) change, as the drain of a target with
/// them against one with the defaults, in alternating rounds of one invocation (<see cref="AlternatingDrains"/>):
/// the per-round tasks/s ratios and their median. A change of the engine that has a setting to turn it off is
/// measured the same way, its setting against the default, on one build. The target is the in-process silo unless
/// <c>--modes</c> names one other (client, rest, rest-h2), whose processes (silo processes, the API process) may also
/// get environment variables (<c>--env name=value</c>, repeatable: the runtime's <c>DOTNET_…</c> knobs, which a
/// process reads at its start).
/// </summary>
internal sealed class SettingScenario : IScenario
{
    public const int DefaultCount = 30_000;

    public string Name => "setting";

    public string Summary => "drain with --setting key=value and/or --env name=value (repeatable) against the defaults, in alternating rounds: the per-round tasks/s ratios and their median";

    public async Task<IReadOnlyList<Figure>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        // The options were checked when they were read (OptionParser): something to compare, one target.
        var options = context.Options;
        var mode = options.Modes is [var only] ? only : TargetKind.InProc;
        var count = options.Count ?? DefaultCount;
        var changed = string.Join(", ", options.Settings.Select(s => $"{s.Key}={s.Value}").Concat(options.Environment.Select(e => $"env {e.Key}={e.Value}")));
        (string Name, TargetSettings Target)[] variants =
        [
            ("defaults", TargetSettings.Of(mode, options.Concurrency)),
            (changed, TargetSettings.Of(mode, options.Concurrency, options.Settings, options.Environment)),
        ];
        var series = await AlternatingDrains.RunAsync(context, Name, variants, count, cancellationToken);

        var figures = new List<Figure>();
        for (var v = 0; v < variants.Length; v++)
        {
            var parameters = new Dictionary<string, string>
            {
                ["mode"] = TargetNames.Of(mode),
                ["settings"] = v == 0 ? "defaults" : changed,
                ["count"] = count.ToString(CultureInfo.InvariantCulture),
                ["concurrency"] = options.Concurrency.ToString(CultureInfo.InvariantCulture),
            };
            figures.AddRange(series[v].ToFigures(Name, parameters, includeCold: false));
        }

        var ratios = AlternatingDrains.Ratios(series[1], series[0]);
        figures.Add(new Figure(Name, "throughput ratio", new Dictionary<string, string> { ["mode"] = TargetNames.Of(mode), ["settings"] = changed, ["vs"] = "defaults" }, "x", ratios));
        return figures;
    }
}
