namespace Oee.Benchmarks.Measurement;

/// <summary>One value one run produced, e.g. ("throughput", 15234, "tasks/s").</summary>
/// <param name="Name">The figure's name within its scenario.</param>
/// <param name="Value">The value.</param>
/// <param name="Unit">Its unit.</param>
internal sealed record Measure(string Name, double Value, string Unit);
