using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Oee.Benchmarks.Diagnostics;
using Oee.Benchmarks.Load;
using Oee.Benchmarks.Measurement;
using Oee.Benchmarks.Targets;
using Oee.Grains.Client;

namespace Oee.Benchmarks.Scenarios;

/// <summary>
/// <c>calls</c>: where a task's work goes in the in-process memory drain. The in-process target's
/// silo with a grain call filter that counts calls by interface method and a listener summing
/// Orleans' and OEE's counters (activations, messages); per measured run the grain calls, counter
/// increments, CPU and allocations per task. A diagnostic: the filter and listener cost time, so the
/// tasks/s it prints are not comparable with <c>drain</c>'s.
/// </summary>
internal sealed class CallsScenario : IScenario
{
    public string Name => "calls";

    public string Summary => "diagnostic: grain calls by method, recordings of Orleans' and OEE's instruments (counter adds, histogram records), CPU and bytes per task in the in-process drain";

    public async Task<IReadOnlyList<Figure>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        // With --fanout, whole graphs of the fanout scenario's size.
        var requested = options.Count ?? 5_000;
        var graphs = Math.Max(1, requested / FanOutScenario.GraphSize);
        var count = options.FanOut ? graphs * FanOutScenario.GraphSize : requested;
        var calls = new CallCounter();
        using var meters = new MeterCounter();
        var settings = TargetSettings.Of(Cli.TargetKind.InProc, options.Concurrency);
        context.Say($"{Name}: starting the in-process silo with a call-counting filter");
        await using var host = await InProcessTarget.StartHostAsync(settings, cancellationToken, silo => silo.AddIncomingGrainCallFilter(calls));
        var orchestrator = host.Host.Services.GetRequiredService<IOrchestrator>();
        await using var target = new OrchestratorTarget("in-process silo (counting calls)", orchestrator, [Environment.ProcessId], [], host.Host.Services);
        var series = await Repetition.RunAsync(
            context,
            Name,
            options.Warmups,
            options.Runs,
            async (run, ct) =>
            {
                var queue = context.QueueName($"{Name}-{run}");
                await target.ConfigureQueueAsync(queue, options.MaxConcurrency, paused: false, ct);
                calls.Take();
                meters.Take();
                var cost = ProcessCost.Start();
                var start = Stopwatch.GetTimestamp();
                if (options.FanOut)
                {
                    // One batch call per graph, as the fanout scenario makes them.
                    await FanOutScenario.SubmitEachAsync(graphs, () => target.SubmitFanOutAsync(queue, BenchTask.Echo, BenchTask.EmptyInput, FanOutScenario.GraphSize - 1, ct), ct);
                }
                else
                {
                    await ClosedLoop.SubmitAsync(target, queue, BenchTask.Echo, BenchTask.EmptyInput, count, options.Concurrency, null, ct, options.Batch);
                }

                var drained = await CompletionWaiter.WaitForFinishedAsync(target, queue, count, start, TimeSpan.FromSeconds(60), ct);

                // Let finished tasks' deactivations land before counting.
                await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
                var costs = cost.Stop(count);
                var byMethod = calls.Take();
                var byInstrument = meters.Take();
                Print(context, run, count, byMethod, byInstrument);

                // The untimed clean-up between runs (each finished task is activated once more to purge it).
                await FinishedTasks.ClearAsync(context, target, ct);
                await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
                Print(context, $"{run} clean-up (untimed)", count, calls.Take(), meters.Take());
                return
                [
                    new Measure("throughput (counting)", count / drained.TotalSeconds, "tasks/s"),
                    new Measure("grain calls per task", byMethod.Values.Sum() / (double)count, "calls"),
                    .. costs,
                ];
            },
            cancellationToken);
        var parameters = new Dictionary<string, string> { ["count"] = count.ToString(CultureInfo.InvariantCulture) };
        if (options.FanOut)
        {
            parameters["shape"] = $"fan-out graphs of {FanOutScenario.GraphSize}";
        }

        return [.. series.ToFigures(Name, parameters, includeCold: false)];
    }

    private static void Print(BenchContext context, string run, int count, IReadOnlyDictionary<string, long> byMethod, IReadOnlyDictionary<string, long> byInstrument)
    {
        context.Say($"{run}: grain calls per task (by interface method)");
        foreach (var (method, n) in byMethod.OrderByDescending(p => p.Value))
        {
            context.Say(string.Create(CultureInfo.InvariantCulture, $"  {n / (double)count,8:0.000}  {method}"));
        }

        context.Say($"{run}: instrument recordings per task (each one a measurement an exporter aggregates)");
        foreach (var (name, n) in byInstrument.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal))
        {
            context.Say(string.Create(CultureInfo.InvariantCulture, $"  {n / (double)count,10:0.000}  {name}"));
        }
    }
}
