namespace Oee.Benchmarks.Measurement;

/// <summary>
/// The figures of an interleaved comparison's rounds as one figure each: the samples of every round's figure
/// with the same scenario, name and parameters, in round order (each round's run of a target is one sample).
/// </summary>
internal static class MergedRounds
{
    public static IEnumerable<Figure> Of(IEnumerable<Figure> rounds) =>
        rounds
            .GroupBy(f => (f.Scenario, f.Name, Parameters: Key(f.Parameters)))
            .Select(g => g.First() with { Samples = [.. g.SelectMany(f => f.Samples)] });

    private static string Key(IReadOnlyDictionary<string, string> parameters) =>
        string.Join('\u0001', parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
}
