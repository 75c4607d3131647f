namespace Oee.Benchmarks.Targets;

/// <summary>What every benchmark task looks like.</summary>
internal static class BenchTask
{
    /// <summary>The task name of every submitted task.</summary>
    public const string Name = "bench";

    /// <summary>The no-op handler.</summary>
    public const string Echo = "echo";

    /// <summary>The handler that waits.</summary>
    public const string Delay = "delay";

    /// <summary>The echo input (small, valid JSON).</summary>
    public const string EmptyInput = "{}";

    /// <summary>The delay handler's input for <paramref name="ms"/> milliseconds.</summary>
    public static string DelayInput(int ms) => $$"""{"ms":{{ms}}}""";
}
