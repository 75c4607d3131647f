using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Oee.Benchmarks.Load;
using Oee.Benchmarks.Measurement;
using Oee.Benchmarks.Scenarios;
using Oee.Benchmarks.Targets;
using Oee.Grains.Cluster;

namespace Oee.Benchmarks.Floor;

/// <summary>
/// The card floor: what the design card's grain shape alone costs per task, measured like the in-process
/// drain in the same silo set-up (OEE included but idle, as for <see cref="FloorDrain"/>). Per task, the
/// messages OEE's in-process drain needs and no others: the submit to a new <see cref="ICardTaskGrain"/>
/// (activation), its entry in the run's <see cref="ICardQueueGrain"/> (which answers "start now"), the
/// body through the stateless <see cref="ICardWorkerGrain"/>, the leave (batched per queue,
/// <see cref="CardLeaves"/>), the deactivation. Submits from the drain's concurrent callers into a fresh
/// queue whose running limit is the drain's <c>maxConcurrency</c>; tasks/s from the first submit until the
/// queue's finished count, polled every 5 ms as OEE's queue counters are, reaches the run's count.
/// OEE's in-process drain divided by this is the share of the card's shape that OEE's own logic keeps.
/// </summary>
internal static class CardFloorDrain
{
    public const string Mode = "card-floor";

    private static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(5);

    public static async Task<IEnumerable<Figure>> MeasureAsync(BenchContext context, string scenario, int count, CancellationToken cancellationToken)
    {
        var options = context.Options;
        context.Say($"{scenario} {Mode}: starting the in-process silo");
        await using var host = await InProcessTarget.StartHostAsync(
            TargetSettings.Of(Cli.TargetKind.InProc, options.Concurrency),
            cancellationToken,
            silo => silo.Services.AddSingleton<CardLeaves>());
        var services = host.Host.Services;
        var grains = services.GetRequiredService<IGrainFactory>();
        var leaves = services.GetRequiredService<CardLeaves>();
        context.Say($"{scenario} {Mode}: in-process silo, the card's grains per task (task, queue, worker, batched leave; {count} per run, {options.Concurrency} submits in flight)");
        var series = await Repetition.RunAsync(
            context,
            $"{scenario} {Mode}",
            options.Warmups,
            options.Runs,
            (run, ct) => RunOnceAsync(grains, leaves, run, count, options.Concurrency, options.MaxConcurrency, ct),
            cancellationToken);
        var parameters = DrainScenario.DrainParameters(Mode, count, options.Concurrency);
        parameters["leave"] = "batched";
        return series.ToFigures(scenario, parameters, includeCold: false);
    }

    private static async Task<IReadOnlyList<Measure>> RunOnceAsync(
        IGrainFactory grains, CardLeaves leaves, string run, int count, int concurrency, int maxRunning, CancellationToken cancellationToken)
    {
        var queueName = $"card-{Environment.ProcessId}-{run}-{Guid.NewGuid():N}";
        var queue = grains.Reference<ICardQueueGrain>(queueName);
        await queue.Open(maxRunning);
        var prefix = queueName + "-";
        var others = ForeignCpu.Start([]);
        var cost = ProcessCost.Start();
        var start = Stopwatch.GetTimestamp();
        await CallLoop.RunAsync(
            count,
            concurrency,
            async (n, _) => await grains.Reference<ICardTaskGrain>(prefix + n.ToString(CultureInfo.InvariantCulture)).Submit(queueName, 0, BenchTask.EmptyInput),
            cancellationToken);
        var submitted = Stopwatch.GetElapsedTime(start);
        var drained = await CompletionWaiter.WaitUntilAsync(
            async _ => await queue.Finished(),
            count,
            start,
            StallTimeout,
            PollInterval,
            (finished, _) => Task.FromResult(
                $"The card floor stalled: {finished} of {count} tasks finished, none for {StallTimeout.TotalSeconds:0} s" +
                (leaves.LastFailure is { } failure ? $"; a leave failed: {failure.Message}" : "") + "."),
            cancellationToken);
        var (_, otherCores) = others.Stop();
        return
        [
            new Measure("throughput", count / drained.TotalSeconds, "tasks/s"),
            new Measure("submit rate", count / submitted.TotalSeconds, "tasks/s"),
            new Measure("other processes' CPU", otherCores, "cores"),
            .. cost.Stop(count),
        ];
    }
}
