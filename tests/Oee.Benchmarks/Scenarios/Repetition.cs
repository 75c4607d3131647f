using System.Globalization;
using Oee.Benchmarks.Measurement;

namespace Oee.Benchmarks.Scenarios;

/// <summary>Runs one configuration: warm-up runs (the first is the cold figure), then the measured runs.</summary>
internal static class Repetition
{
    /// <summary>Calls <paramref name="runOnce"/> with a run label ("w1", "r1", …) for each run.</summary>
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
            var measures = await runOnce($"w{i}", cancellationToken);
            context.Say($"{what}: warm-up {i}/{warmups}{(i == 1 && context.Round is null or 1 ? " (cold)" : "")}: {Summarise(measures)}");
            if (i == 1)
            {
                series.AddCold(measures);
            }
        }

        for (var i = 1; i <= runs; i++)
        {
            var measures = await runOnce($"r{i}", cancellationToken);
            context.Say($"{what}: run {i}/{runs}: {Summarise(measures)}");
            series.AddMeasured(measures);
        }

        return series;
    }

    private static string Summarise(IReadOnlyList<Measure> measures) =>
        string.Join(", ", measures.Take(4).Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Name} {m.Value:0.###} {m.Unit}")));
}
