using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Oee.Benchmarks.Load;
using Oee.Benchmarks.Measurement;
using Oee.Benchmarks.Scenarios;
using Oee.Benchmarks.Targets;

namespace Oee.Benchmarks.Floor;

/// <summary>
/// The floor of the card's design, measured like the in-process drain: the same in-process silo
/// (the same host set-up, engine settings and runtime settings as the <c>inproc</c> target, OEE
/// included but idle), and instead of submitting tasks, one call each to <c>count</c> new
/// <see cref="IFloorGrain"/>s with the drain's concurrency: activate, one call, deactivate. Tasks/s
/// from the first call until the last answered. OEE's in-process drain divided by this is the share
/// of the bare runtime's rate that the engine keeps.
/// </summary>
internal static class FloorDrain
{
    public const string Mode = "floor";

    public static async Task<IEnumerable<Figure>> MeasureAsync(BenchContext context, string scenario, int count, CancellationToken cancellationToken)
    {
        var options = context.Options;
        context.Say($"{scenario} {Mode}: starting the in-process silo");
        await using var host = await InProcessTarget.StartHostAsync(TargetSettings.Of(Cli.TargetKind.InProc, options.Concurrency), cancellationToken);
        var grains = host.Host.Services.GetRequiredService<IGrainFactory>();
        context.Say($"{scenario} {Mode}: in-process silo, a new bare grain per call ({count} per run, {options.Concurrency} calls in flight)");
        var series = await Repetition.RunAsync(
            context,
            $"{scenario} {Mode}",
            options.Warmups,
            options.Runs,
            (run, ct) => RunOnceAsync(grains, run, count, options.Concurrency, ct),
            cancellationToken);
        var parameters = DrainScenario.DrainParameters(Mode, count, options.Concurrency);
        return series.ToFigures(scenario, parameters, includeCold: false);
    }

    private static async Task<IReadOnlyList<Measure>> RunOnceAsync(IGrainFactory grains, string run, int count, int concurrency, CancellationToken cancellationToken)
    {
        var prefix = $"floor-{Environment.ProcessId}-{run}-{Guid.NewGuid():N}-";
        var others = ForeignCpu.Start([]);
        var cost = ProcessCost.Start();
        var start = Stopwatch.GetTimestamp();
        await CallLoop.RunAsync(
            count,
            concurrency,
            async (n, _) =>
            {
                var answer = await grains.GetGrain<IFloorGrain>(prefix + n.ToString(CultureInfo.InvariantCulture)).Run(BenchTask.EmptyInput);
                if (answer != BenchTask.EmptyInput)
                {
                    throw new InvalidOperationException($"A floor grain answered '{answer}'.");
                }
            },
            cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(start);
        var (_, otherCores) = others.Stop();
        return
        [
            new Measure("throughput", count / elapsed.TotalSeconds, "tasks/s"),
            new Measure("other processes' CPU", otherCores, "cores"),
            .. cost.Stop(count),
        ];
    }
}
