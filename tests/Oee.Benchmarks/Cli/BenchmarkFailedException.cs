namespace Oee.Benchmarks.Cli;

/// <summary>A benchmark that cannot measure what it should; its message says why (no stack trace is printed).</summary>
internal sealed class BenchmarkFailedException(string message) : Exception(message);
