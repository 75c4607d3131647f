using System.Globalization;
using Oee.Benchmarks.Cli;
using Oee.Benchmarks.Measurement;

namespace Oee.Benchmarks.Scenarios;

/// <summary>
/// <c>setting</c>: what engine settings (<c>--setting key=value</c>, repeatable) change, as the in-process drain of a
/// silo with them against one with the defaults, in alternating rounds of one invocation (<see cref="AlternatingDrains"/>):
/// the per-round tasks/s ratios and their median. A change of the engine that has a setting to turn it off is
/// measured the same way, its setting against the default, on one build.
/// </summary>
internal sealed class SettingScenario : IScenario
{
    public const int DefaultCount = 30_000;

    public string Name => "setting";

    public string Summary => "in-process drain with --setting key=value (repeatable) against the defaults, in alternating rounds: the per-round tasks/s ratios and their median";

    public async Task<IReadOnlyList<Figure>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        if (options.Settings.Count == 0)
        {
            throw new BenchmarkFailedException("setting needs at least one --setting key=value to compare with the defaults, e.g. --setting Oee:Cluster:CacheTaskAddresses=true.");
        }

        var count = options.Count ?? DefaultCount;
        var changed = string.Join(", ", options.Settings.Select(s => $"{s.Key}={s.Value}"));
        (string Name, IReadOnlyDictionary<string, string> Settings)[] variants =
        [
            ("defaults", new Dictionary<string, string>()),
            (changed, options.Settings.ToDictionary(s => s.Key, s => s.Value, StringComparer.OrdinalIgnoreCase)),
        ];
        var series = await AlternatingDrains.RunAsync(context, Name, variants, count, cancellationToken);

        var figures = new List<Figure>();
        for (var v = 0; v < variants.Length; v++)
        {
            var parameters = new Dictionary<string, string>
            {
                ["mode"] = "inproc",
                ["settings"] = v == 0 ? "defaults" : changed,
                ["count"] = count.ToString(CultureInfo.InvariantCulture),
                ["concurrency"] = options.Concurrency.ToString(CultureInfo.InvariantCulture),
            };
            figures.AddRange(series[v].ToFigures(Name, parameters, includeCold: false));
        }

        var ratios = AlternatingDrains.Ratios(series[1], series[0]);
        figures.Add(new Figure(Name, "throughput ratio", new Dictionary<string, string> { ["settings"] = changed, ["vs"] = "defaults" }, "x", ratios));
        return figures;
    }
}
