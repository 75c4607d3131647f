using System.Globalization;
using Oee.Benchmarks.Cli;
using Oee.Benchmarks.Measurement;
using Oee.Benchmarks.Targets;
using Oee.Grains.Contracts;

namespace Oee.Benchmarks.Scenarios;

/// <summary>
/// <c>schedule</c>: N schedules each firing every second for S seconds on an in-process silo; how
/// late each occurrence's task starts (occurrence instant -> startedAt, both on the silo's clock) and
/// how many occurrences ran, next to the in-process drain of the same run as the reference.
/// </summary>
internal sealed class ScheduleScenario : IScenario
{
    public const int DefaultDrainCount = 10_000;

    public string Name => "schedule";

    public string Summary => "N schedules every second for S seconds: occurrence -> task start lateness p50 p99 max, next to the inproc drain";

    public async Task<IReadOnlyList<Figure>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var settings = TargetSettings.Of(TargetKind.InProc, options.Concurrency);
        var figures = new List<Figure>(await DrainScenario.MeasureAsync(context, Name, settings, options.Count ?? DefaultDrainCount, cancellationToken));

        context.Say($"{Name}: starting the target for {options.Schedules} schedules");
        await using var target = await context.Targets.StartAsync(settings, cancellationToken);
        var orchestrator = ((OrchestratorTarget)target).Orchestrator;
        var series = await Repetition.RunAsync(
            context,
            $"{Name} {options.Schedules}x1/s",
            options.Warmups,
            options.Runs,
            (label, ct) => RunOnce(context, target, orchestrator, context.QueueName($"{Name}-{label}"), ct),
            cancellationToken);
        var parameters = new Dictionary<string, string>
        {
            ["mode"] = "inproc",
            ["schedules"] = options.Schedules.ToString(CultureInfo.InvariantCulture),
            ["seconds"] = options.Seconds.ToString(CultureInfo.InvariantCulture),
        };
        figures.AddRange(series.ToFigures(Name, parameters, includeCold: false));
        return figures;
    }

    private static async Task<IReadOnlyList<Measure>> RunOnce(
        BenchContext context, IBenchTarget target, Grains.Client.IOrchestrator orchestrator, string queue, CancellationToken cancellationToken)
    {
        var options = context.Options;
        await target.ConfigureQueueAsync(queue, options.MaxConcurrency, paused: false, cancellationToken);
        var names = Enumerable.Range(0, options.Schedules).Select(i => $"{queue}-{i}").ToList();
        var definition = new ScheduleDefinition
        {
            Cron = "* * * * * *",
            Task = new ScheduleTaskTemplate { Name = BenchTask.Name, Handler = BenchTask.Echo, Queue = queue, Input = BenchTask.EmptyInput },
        };
        await Task.WhenAll(names.Select(n => orchestrator.PutScheduleAsync(n, definition, cancellationToken)));
        await Task.Delay(TimeSpan.FromSeconds(options.Seconds), cancellationToken);

        // Pausing fixes what each schedule handled; its occurrences' tasks are then awaited.
        var paused = await Task.WhenAll(names.Select(n => orchestrator.PauseScheduleAsync(n, cancellationToken)));
        // Each schedule handled every whole second in (createdAt, handledThrough]: submitted, or skipped as missed.
        var expected = paused.Sum(s => (long)Math.Floor((s.HandledThrough - FloorSecond(s.CreatedAt)).TotalSeconds));
        var skipped = paused.Sum(s => s.MissedSkipped);
        await WaitForDone(target, queue, expected - skipped, cancellationToken);

        var lateness = new List<double>();
        await foreach (var task in target.ListDoneAsync(queue, cancellationToken))
        {
            var occurrence = DateTimeOffset.ParseExact(task.Id[^16..], ScheduleLimits.InstantFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            lateness.Add((task.StartedAt!.Value - occurrence).TotalMilliseconds);
        }

        await Task.WhenAll(names.Select(n => orchestrator.DeleteScheduleAsync(n, cancellationToken)));
        if (!options.NoClear)
        {
            await target.ClearFinishedAsync(cancellationToken);
        }

        lateness.Sort();
        return
        [
            new Measure("start lateness p50", Stats.PercentileOfSorted(lateness, 50), "ms"),
            new Measure("start lateness p99", Stats.PercentileOfSorted(lateness, 99), "ms"),
            new Measure("start lateness max", lateness.Count == 0 ? double.NaN : lateness[^1], "ms"),
            new Measure("occurrences run", lateness.Count, "tasks"),
            new Measure("occurrences skipped as missed", skipped, "tasks"),
        ];
    }

    private static DateTimeOffset FloorSecond(DateTimeOffset instant) => new(instant.Ticks - (instant.Ticks % TimeSpan.TicksPerSecond), instant.Offset);

    private static async Task WaitForDone(IBenchTarget target, string queue, long count, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        while ((await target.GetQueueAsync(queue, cancellationToken)).Finished < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new BenchmarkFailedException($"The {count} scheduled tasks of {queue} did not finish within 5 minutes.");
            }

            await Task.Delay(50, cancellationToken);
        }
    }
}
