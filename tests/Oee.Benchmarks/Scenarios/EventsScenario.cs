using System.Globalization;
using Oee.Benchmarks.Cli;
using Oee.Benchmarks.Measurement;
using Oee.Benchmarks.Targets;

namespace Oee.Benchmarks.Scenarios;

/// <summary>
/// <c>events</c>: the plain drain and, on the same target in the same run, the same drain with a
/// subscriber receiving every event of its queue (an Orleans event-feed subscription in-process and
/// through the Orleans client, an SSE stream over REST): what publishing and delivering events costs
/// the drain. Warm-ups of both first, then the measured runs alternate.
/// </summary>
internal sealed class EventsScenario : IScenario
{
    public const int DefaultCount = 20_000;

    public string Name => "events";

    public string Summary => "drain without a subscriber next to the drain with one receiving every event (modes; default inproc)";

    public async Task<IReadOnlyList<Figure>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var count = options.Count ?? DefaultCount;
        var figures = new List<Figure>();
        foreach (var mode in options.Modes ?? [TargetKind.InProc])
        {
            var name = TargetNames.Of(mode);
            context.Say($"{Name} {name}: starting the target");
            await using var target = await context.Targets.StartAsync(TargetSettings.Of(mode, options.Concurrency), cancellationToken);
            context.Say($"{Name} {name}: {target.Description}; {count} echo tasks per run, {options.Concurrency} submits in flight");

            var plain = new DrainRun(context, target, BenchTask.Echo, BenchTask.EmptyInput, count);
            var watched = new WatchedDrainRun(target, new DrainRun(context, target, BenchTask.Echo, BenchTask.EmptyInput, count), count);
            var plainSeries = new RunSeries();
            var watchedSeries = new RunSeries();
            for (var i = 1; i <= options.Warmups; i++)
            {
                await plain.RunAsync(context.QueueName($"{Name}-off-{name}-w{i}"), cancellationToken);
                await watched.RunAsync(context.QueueName($"{Name}-on-{name}-w{i}"), cancellationToken);
                context.Say($"{Name} {name}: warm-up {i}/{options.Warmups} done");
            }

            for (var i = 1; i <= options.Runs; i++)
            {
                var off = await plain.RunAsync(context.QueueName($"{Name}-off-{name}-r{i}"), cancellationToken);
                plainSeries.AddMeasured(off);
                var on = await watched.RunAsync(context.QueueName($"{Name}-on-{name}-r{i}"), cancellationToken);
                watchedSeries.AddMeasured(on);
                context.Say($"{Name} {name}: run {i}/{options.Runs}: without a subscriber {off[0].Value:0} tasks/s, with one {on[0].Value:0} tasks/s ({on[0].Value / off[0].Value:P0}), {on[^1].Value:0.00} events/task received");
            }

            var parameters = new Dictionary<string, string>
            {
                ["mode"] = name,
                ["count"] = count.ToString(CultureInfo.InvariantCulture),
                ["concurrency"] = options.Concurrency.ToString(CultureInfo.InvariantCulture),
            };
            figures.AddRange(plainSeries.ToFigures($"{Name} off", parameters, includeCold: false));
            figures.AddRange(watchedSeries.ToFigures($"{Name} on", new Dictionary<string, string>(parameters), includeCold: false));
        }

        return figures;
    }
}
