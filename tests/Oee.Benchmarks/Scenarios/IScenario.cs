using Oee.Benchmarks.Measurement;

namespace Oee.Benchmarks.Scenarios;

/// <summary>One benchmark scenario: starts what it needs, warms up, measures, stops everything.</summary>
internal interface IScenario
{
    /// <summary>The name on the command line.</summary>
    string Name { get; }

    /// <summary>One line for --help.</summary>
    string Summary { get; }

    Task<IReadOnlyList<Figure>> RunAsync(BenchContext context, CancellationToken cancellationToken);
}
