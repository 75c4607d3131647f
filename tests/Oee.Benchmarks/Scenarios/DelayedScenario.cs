using System.Globalization;
using Oee.Benchmarks.Cli;
using Oee.Benchmarks.Measurement;
using Oee.Benchmarks.Targets;

namespace Oee.Benchmarks.Scenarios;

/// <summary>
/// <c>delayed</c>: per run, first a drain of <c>count</c> echo tasks (the reference, same target),
/// then <c>count</c> echo tasks submitted with due times spread evenly over a window of
/// <c>--seconds</c> that opens once all can be in: how late each started after its due time
/// (p50, p99, max; early starts counted, expected 0) and the throughput from the first due time
/// until the last is done.
/// </summary>
internal sealed class DelayedScenario : IScenario
{
    public const int DefaultCount = 10_000;

    public string Name => "delayed";

    public string Summary => "echo tasks due over a --seconds window: start lateness p50/p99/max and tasks/s, next to a drain of as many (modes inproc, client, rest)";

    public async Task<IReadOnlyList<Figure>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var count = options.Count ?? DefaultCount;
        var figures = new List<Figure>();
        foreach (var kind in options.Modes ?? [TargetKind.InProc])
        {
            var mode = TargetNames.Of(kind);
            context.Say($"{Name} {mode}: starting the target");
            await using var target = await context.Targets.StartAsync(TargetSettings.Of(kind, options.Concurrency), cancellationToken);
            context.Say($"{Name} {mode}: {target.Description}; {count} tasks per run, due over {options.Seconds:0.###} s");
            var drain = new DrainRun(context, target, BenchTask.Echo, BenchTask.EmptyInput, count);
            var delayed = new DelayedRun(context, target, count, TimeSpan.FromSeconds(options.Seconds));
            var series = await Repetition.RunAsync(
                context,
                $"{Name} {mode}",
                options.Warmups,
                options.Runs,
                async (run, ct) =>
                {
                    var reference = await drain.RunAsync(context.QueueName($"{Name}-drain-{mode}-{run}"), ct);
                    var submitRate = reference.First(m => m.Name == "submit rate").Value;
                    var measures = await delayed.RunAsync(context.QueueName($"{Name}-{mode}-{run}"), submitRate, ct);
                    return [.. measures, .. reference.Where(m => m.Name is "throughput" or "submit rate").Select(m => m with { Name = "drain " + m.Name })];
                },
                cancellationToken);
            var parameters = new Dictionary<string, string>
            {
                ["mode"] = mode,
                ["count"] = count.ToString(CultureInfo.InvariantCulture),
                ["window"] = options.Seconds.ToString("0.###", CultureInfo.InvariantCulture) + " s",
                ["concurrency"] = options.Concurrency.ToString(CultureInfo.InvariantCulture),
            };
            figures.AddRange(series.ToFigures(Name, parameters, includeCold: true));
        }

        return figures;
    }
}
