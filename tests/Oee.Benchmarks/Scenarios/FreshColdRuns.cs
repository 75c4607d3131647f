using System.Globalization;
using Oee.Benchmarks.Cli;
using Oee.Benchmarks.Hosting;
using Oee.Benchmarks.Measurement;

namespace Oee.Benchmarks.Scenarios;

/// <summary>
/// The cold figure of one mode as the median of several fresh starts: this program started again
/// (<c>drain --modes m --no-peers --warmup 0 --runs 1</c>) once per start, so that each start's one
/// run is the first of a new process, its target's and (client, REST) its caller's. One cold run per
/// process is a single sample of start-up noise; several, and their median, are a figure.
/// </summary>
internal static class FreshColdRuns
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Every figure of the mode's fresh first runs, named "&lt;name&gt; (cold)", one sample per start,
    /// with the parameters of the mode's warm figures.
    /// </summary>
    public static async Task<IReadOnlyList<Figure>> MeasureAsync(
        BenchContext context, string scenario, TargetKind kind, int count, int starts, IReadOnlyDictionary<string, string> parameters, CancellationToken cancellationToken)
    {
        var mode = TargetNames.Of(kind);
        var samples = new Dictionary<string, (string Unit, List<double> Values)>();
        for (var start = 1; start <= starts; start++)
        {
            var run = await RunOnceAsync(context, mode, count, start, cancellationToken);
            foreach (var (name, unit, value) in run)
            {
                if (!samples.TryGetValue(name, out var entry))
                {
                    entry = (unit, []);
                    samples[name] = entry;
                }

                entry.Values.Add(value);
            }

            var throughput = run.FirstOrDefault(r => r.Name == Comparison.Ratios.Throughput);
            context.Say(string.Create(CultureInfo.InvariantCulture, $"{scenario} {mode}: fresh cold start {start}/{starts}: {throughput.Value:0} tasks/s"));
        }

        return [.. samples.Select(s => new Figure(scenario, $"{s.Key} (cold)", parameters, s.Value.Unit, s.Value.Values))];
    }

    private static async Task<IReadOnlyList<(string Name, string Unit, double Value)>> RunOnceAsync(
        BenchContext context, string mode, int count, int start, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var outFile = Path.Combine(context.LogDir, $"cold-{mode}-{start}-{Guid.NewGuid():N}.jsonl");
        var args = new List<string>
        {
            "drain", "--modes", mode, "--no-peers", "--warmup", "0", "--runs", "1",
            "--count", count.ToString(CultureInfo.InvariantCulture),
            "--concurrency", options.Concurrency.ToString(CultureInfo.InvariantCulture),
            "--out", outFile, "--log-dir", context.LogDir,
        };
        if (options.SiloDll is not null)
        {
            args.AddRange(["--silo-dll", options.SiloDll]);
        }

        if (options.ApiDll is not null)
        {
            args.AddRange(["--api-dll", options.ApiDll]);
        }

        await using var child = ChildProcess.StartSelf($"cold {mode} {start}", args, context.LogDir);
        await child.EndedWellAsync($"The fresh cold start {start} of {mode}", StartLimit, outFile, cancellationToken);
        return [.. (await File.ReadAllLinesAsync(outFile, cancellationToken)).Select(Report.ParseLine)
            .Where(f => f.Parameters.GetValueOrDefault("mode") == mode).Select(f => (f.Name, f.Unit, f.Value))];
    }
}
