namespace Oee.Benchmarks.Measurement;

/// <summary>What the runs of one configuration produced: the cold (first warm-up) run and the measured runs.</summary>
internal sealed class RunSeries
{
    private readonly List<Measure> cold = [];
    private readonly List<List<Measure>> measured = [];

    public void AddCold(IEnumerable<Measure> measures) => cold.AddRange(measures);

    public void AddMeasured(IEnumerable<Measure> measures) => measured.Add([.. measures]);

    /// <summary>
    /// One figure per measure name over the measured runs, in first-seen order; with
    /// <paramref name="includeCold"/>, the cold run's values as "&lt;name&gt; (cold)" figures of one run.
    /// </summary>
    public IEnumerable<Figure> ToFigures(string scenario, IReadOnlyDictionary<string, string> parameters, bool includeCold)
    {
        var names = measured.SelectMany(r => r).Select(m => (m.Name, m.Unit)).Distinct().ToList();
        foreach (var (name, unit) in names)
        {
            var samples = measured.SelectMany(r => r).Where(m => m.Name == name).Select(m => m.Value).ToList();
            yield return new Figure(scenario, name, parameters, unit, samples);
        }

        if (!includeCold)
        {
            yield break;
        }

        foreach (var measure in cold)
        {
            yield return new Figure(scenario, $"{measure.Name} (cold)", parameters, measure.Unit, [measure.Value]);
        }
    }

    /// <summary>The measured values of one figure, run by run.</summary>
    public IReadOnlyList<double> Samples(string name) =>
        [.. measured.SelectMany(r => r).Where(m => m.Name == name).Select(m => m.Value)];
}
