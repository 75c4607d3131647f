namespace Oee.Benchmarks.Measurement;

/// <summary>One reported figure: the values of its measured runs, summarised by median, min and max.</summary>
internal sealed record Figure(
    string Scenario,
    string Name,
    IReadOnlyDictionary<string, string> Parameters,
    string Unit,
    IReadOnlyList<double> Samples)
{
    public double Median => Stats.Median(Samples);

    public double Min => Samples.Count == 0 ? double.NaN : Samples.Min();

    public double Max => Samples.Count == 0 ? double.NaN : Samples.Max();

    /// <summary>The reported value: the median.</summary>
    public double Value => Median;
}
