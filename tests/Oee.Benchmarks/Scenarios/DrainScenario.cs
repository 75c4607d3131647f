using System.Globalization;
using Oee.Benchmarks.Cli;
using Oee.Benchmarks.Measurement;
using Oee.Benchmarks.Targets;

namespace Oee.Benchmarks.Scenarios;

/// <summary>
/// <c>drain</c>: echo tasks submitted as fast as possible, tasks/s from the first submit until
/// the last is done; in-process, through an Orleans client and over REST.
/// </summary>
internal sealed class DrainScenario : IScenario
{
    public const int DefaultCount = 30_000;

    public string Name => "drain";

    public string Summary => "echo tasks as fast as possible: tasks/s first submit -> last done, peak RSS (modes inproc, client, rest)";

    public async Task<IReadOnlyList<Figure>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var modes = options.Modes ?? [TargetKind.InProc, TargetKind.Client, TargetKind.Rest];
        var figures = new List<Figure>();
        foreach (var mode in modes)
        {
            var settings = TargetSettings.Of(mode, options.Concurrency);
            figures.AddRange(await MeasureAsync(context, Name, settings, options.Count ?? DefaultCount, cancellationToken));
        }

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
