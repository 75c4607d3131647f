using System.Globalization;
using Oee.Benchmarks.Measurement;

namespace Oee.Benchmarks.Scenarios;

/// <summary>Runs one configuration: warm-up runs (the first is the cold figure), then the measured runs.</summary>
internal static class Repetition
{
    /// <summary>
    /// Calls <paramref name="runOnce"/> with a run label ("w1", "r1", …) for each run, each after a full collection of
    /// this process's heap (untimed), so that no run pays for the garbage of a run or a target before it: OEE's in-process
    /// targets, the peers and the floors share this process.
    /// </summary>
    public static async Task<RunSeries> RunAsync(
        BenchContext context,
        string what,
        int warmups,
        int runs,
        Func<string, CancellationToken, Task<IReadOnlyList<Measure>>> runOnce,
        CancellationToken cancellationToken)
    {
        var series = new RunSeries();
        for (var i = 1; i <= warmups; i++)
        {
            CollectGarbage();
            var measures = await runOnce($"w{i}", cancellationToken);
            context.Say($"{what}: warm-up {i}/{warmups}{(i == 1 && context.Round is null or 1 ? " (cold)" : "")}: {Summarise(measures)}");
            if (i == 1)
            {
                series.AddCold(measures);
            }
        }

        for (var i = 1; i <= runs; i++)
        {
            CollectGarbage();
            var measures = await runOnce($"r{i}", cancellationToken);
            context.Say($"{what}: run {i}/{runs}: {Summarise(measures)}");
            series.AddMeasured(measures);
        }

        return series;
    }

    private static void CollectGarbage()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static string Summarise(IReadOnlyList<Measure> measures) =>
        string.Join(", ", measures.Take(4).Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Name} {m.Value:0.###} {m.Unit}")));
}
