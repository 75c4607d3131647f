using System.Collections.Concurrent;
using Oee.Grains.Handlers;

namespace Oee.Grains.Tests.Cluster;

/// <summary>
/// A test body that records the order in which bodies of each queue start and how many bodies of
/// one task ever ran at once, then waits <c>{"ms": n}</c>. Every silo of the in-process test
/// cluster shares these records.
/// </summary>
public sealed class RecordingHandler : TaskHandler<RecordingHandler.Input, int>
{
    public const string Name = "record";

    private static readonly ConcurrentDictionary<string, ConcurrentQueue<string>> StartsByQueue = new();
    private static readonly ConcurrentDictionary<string, int> RunningByTask = new();
    private static readonly ConcurrentDictionary<string, int> MostAtOnceByTask = new();

    public static IReadOnlyList<string> StartsOf(string queue) =>
        StartsByQueue.TryGetValue(queue, out var starts) ? [.. starts] : [];

    /// <summary>The most bodies of the task that ran at the same time (0 when none ran).</summary>
    public static int MostAtOnce(string taskId) => MostAtOnceByTask.GetValueOrDefault(taskId);

    protected override async Task<int> HandleAsync(Input input, TaskContext context)
    {
        StartsByQueue.GetOrAdd(context.Queue, _ => new ConcurrentQueue<string>()).Enqueue(context.TaskId);
        var now = RunningByTask.AddOrUpdate(context.TaskId, 1, (_, n) => n + 1);
        MostAtOnceByTask.AddOrUpdate(context.TaskId, now, (_, most) => Math.Max(most, now));
        try
        {
            await Task.Delay(input.Ms, context.CancellationToken);
            return context.Attempt;
        }
        finally
        {
            RunningByTask.AddOrUpdate(context.TaskId, 0, (_, n) => n - 1);
        }
    }

    public sealed record Input(int Ms);
}
