using System.Diagnostics;

namespace Oee.Benchmarks.Measurement;

/// <summary>
/// What a run cost this process, per task: CPU time (all threads, the submitting side included),
/// bytes allocated, and the share of the wall time the GC held the threads paused. Meaningful for
/// what runs in the benchmark process (the in-process silo, the floor, the peers), where it is the
/// quick profile of where a drain loses against another.
/// </summary>
internal sealed class ProcessCost
{
    private readonly TimeSpan cpuAtStart;
    private readonly long allocatedAtStart;
    private readonly TimeSpan pausedAtStart;
    private readonly int gen0AtStart;
    private readonly int gen1AtStart;
    private readonly int gen2AtStart;
    private readonly long startTimestamp;
    private readonly TimeSpan jitAtStart;
    private readonly long methodsAtStart;

    private ProcessCost()
    {
        cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
        allocatedAtStart = GC.GetTotalAllocatedBytes(precise: true);
        pausedAtStart = GC.GetTotalPauseDuration();
        gen0AtStart = GC.CollectionCount(0);
        gen1AtStart = GC.CollectionCount(1);
        gen2AtStart = GC.CollectionCount(2);
        startTimestamp = Stopwatch.GetTimestamp();
        jitAtStart = System.Runtime.JitInfo.GetCompilationTime();
        methodsAtStart = System.Runtime.JitInfo.GetCompiledMethodCount();
    }

    public static ProcessCost Start() => new();

    /// <summary>The measures for <paramref name="tasks"/> tasks since the start.</summary>
    public IReadOnlyList<Measure> Stop(int tasks)
    {
        var wall = Stopwatch.GetElapsedTime(startTimestamp);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedAtStart;
        var paused = GC.GetTotalPauseDuration() - pausedAtStart;
        return
        [
            new Measure("CPU per task", cpu.TotalMicroseconds / tasks, "µs"),
            new Measure("allocated per task", allocated / 1024.0 / tasks, "KiB"),
            new Measure("GC pause share", wall > TimeSpan.Zero ? paused / wall : double.NaN, "of wall time"),
            // CollectionCount(0) counts every collection (each collects gen0); those of gen1 or gen2 are not gen0's own.
            new Measure("gen0 GCs per 1000 tasks", (GC.CollectionCount(0) - gen0AtStart - (GC.CollectionCount(1) - gen1AtStart)) * 1000.0 / tasks, "GCs"),
            new Measure("gen2 GCs per 1000 tasks", (GC.CollectionCount(2) - gen2AtStart) * 1000.0 / tasks, "GCs"),
            .. Jit(""),
        ];
    }

    /// <summary>
    /// This process's JIT work since the start, for a run whose engine runs in other processes: what the calling
    /// side compiled, e.g. in its first run — the Orleans or HTTP client, and the harness's own submit loop,
    /// completion polling and samplers, and the runtime's recompilation of hot methods.
    /// </summary>
    public IReadOnlyList<Measure> StopClientJit() => Jit(" (client, this process)");

    private Measure[] Jit(string suffix) =>
    [
        new Measure("JIT time" + suffix, (System.Runtime.JitInfo.GetCompilationTime() - jitAtStart).TotalMilliseconds, "ms"),
        new Measure("methods JIT-compiled" + suffix, System.Runtime.JitInfo.GetCompiledMethodCount() - methodsAtStart, "methods"),
    ];
}
