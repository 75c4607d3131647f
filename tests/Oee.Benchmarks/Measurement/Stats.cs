namespace Oee.Benchmarks.Measurement;

/// <summary>Order statistics over samples.</summary>
internal static class Stats
{
    public static double Median(IReadOnlyList<double> values) => Percentile(values, 50);

    /// <summary>The nearest-rank percentile (p in 0–100) of unsorted values; NaN when empty.</summary>
    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        return PercentileOfSorted(sorted, p);
    }

    /// <summary>The nearest-rank percentile of values sorted ascending.</summary>
    public static double PercentileOfSorted(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        if (p >= 100)
        {
            return sorted[^1];
        }

        // The median of an even count is the mean of the middle two; other percentiles use nearest rank.
        if (p == 50 && sorted.Count % 2 == 0)
        {
            return (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
        }

        var rank = (int)Math.Ceiling(p / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}
