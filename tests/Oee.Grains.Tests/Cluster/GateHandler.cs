using System.Collections.Concurrent;
using Oee.Grains.Handlers;

namespace Oee.Grains.Tests.Cluster;

/// <summary>
/// A test body that runs until its gate (<c>{"gate": "name"}</c>) is opened or its token fires, so
/// that a test decides when bodies end whatever the machine's speed. Records, for every task, how
/// many of its bodies ever ran at once. Every silo of an in-process test cluster shares the records.
/// </summary>
public sealed class GateHandler : TaskHandler<GateHandler.Input, int>
{
    public const string Name = "gate";

    private static readonly ConcurrentDictionary<string, TaskCompletionSource> Gates = new();
    private static readonly ConcurrentDictionary<string, int> RunningByTask = new();
    private static readonly ConcurrentDictionary<string, int> MostAtOnceByTask = new();

    /// <summary>Lets every body waiting at the gate, and every later one, finish.</summary>
    public static void Open(string gate) => GateOf(gate).TrySetResult();

    /// <summary>The most bodies of the task that ran at the same time (0 when none ran).</summary>
    public static int MostAtOnce(string taskId) => MostAtOnceByTask.GetValueOrDefault(taskId);

    protected override async Task<int> HandleAsync(Input input, TaskContext context)
    {
        var now = RunningByTask.AddOrUpdate(context.TaskId, 1, (_, n) => n + 1);
        MostAtOnceByTask.AddOrUpdate(context.TaskId, now, (_, most) => Math.Max(most, now));
        try
        {
            await GateOf(input.Gate).Task.WaitAsync(context.CancellationToken);
            return context.Attempt;
        }
        finally
        {
            RunningByTask.AddOrUpdate(context.TaskId, 0, (_, n) => n - 1);
        }
    }

    private static TaskCompletionSource GateOf(string gate) => Gates.GetOrAdd(gate, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public sealed record Input(string Gate);
}
