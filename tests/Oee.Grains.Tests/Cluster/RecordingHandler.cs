using System.Collections.Concurrent;
using Oee.Grains.Handlers;

namespace Oee.Grains.Tests.Cluster;

/// <summary>A test body that records the order in which bodies of each queue start, then waits <c>{"ms": n}</c>.</summary>
public sealed class RecordingHandler : TaskHandler<RecordingHandler.Input, int>
{
    public const string Name = "record";

    private static readonly ConcurrentDictionary<string, ConcurrentQueue<string>> StartsByQueue = new();

    public static IReadOnlyList<string> StartsOf(string queue) =>
        StartsByQueue.TryGetValue(queue, out var starts) ? [.. starts] : [];

    protected override async Task<int> HandleAsync(Input input, TaskContext context)
    {
        StartsByQueue.GetOrAdd(context.Queue, _ => new ConcurrentQueue<string>()).Enqueue(context.TaskId);
        await Task.Delay(input.Ms, context.CancellationToken);
        return context.Attempt;
    }

    public sealed record Input(int Ms);
}
