using Oee.Benchmarks.Measurement;

namespace Oee.Benchmarks.Comparison;

/// <summary>Finds a figure of a run by scenario, name and some of its parameters.</summary>
internal static class FigureLookup
{
    /// <summary>The first figure of <paramref name="scenario"/> named <paramref name="name"/> whose parameters include all of <paramref name="where"/>.</summary>
    public static Figure? Find(IEnumerable<Figure> figures, string scenario, string name, IReadOnlyDictionary<string, string> where) =>
        figures.FirstOrDefault(f =>
            f.Scenario == scenario
            && f.Name == name
            && where.All(kv => f.Parameters.TryGetValue(kv.Key, out var value) && value == kv.Value));
}
