namespace Oee.Benchmarks.Measurement;

/// <summary>
/// What a run cost per task when the engine runs in child processes (the API process, silo processes):
/// their CPU time, this process's (the submitting client: HTTP or the Orleans client) and the sum, from
/// /proc. On a shared machine the tasks/s of such a run depend on what else runs; the CPU per task much
/// less, so it is the figure that tells two builds apart in the same window.
/// </summary>
internal sealed class SplitCpuCost
{
    private readonly IReadOnlyList<int> children;
    private readonly long childrenAtStart;
    private readonly long clientAtStart;

    private SplitCpuCost(IReadOnlyList<int> children)
    {
        this.children = children;
        childrenAtStart = ForeignCpu.TicksOf(children);
        clientAtStart = ForeignCpu.TicksOf([Environment.ProcessId]);
    }

    /// <summary>Starts counting the CPU of <paramref name="children"/> and of this process.</summary>
    public static SplitCpuCost Start(IReadOnlyList<int> children) => new(children);

    /// <summary>CPU µs per task of the child processes, of this process, and both, since the start.</summary>
    public IReadOnlyList<Measure> Stop(int tasks)
    {
        var server = (ForeignCpu.TicksOf(children) - childrenAtStart) / ForeignCpu.TicksPerSecond * 1e6 / tasks;
        var client = (ForeignCpu.TicksOf([Environment.ProcessId]) - clientAtStart) / ForeignCpu.TicksPerSecond * 1e6 / tasks;
        return
        [
            new Measure("CPU per task (target processes)", server, "µs"),
            new Measure("CPU per task (client, this process)", client, "µs"),
            new Measure("CPU per task (both)", server + client, "µs"),
        ];
    }
}
