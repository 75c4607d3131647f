using System.Collections.Concurrent;
using Oee.Grains.Handlers;

namespace Oee.Benchmarks.Targets;

/// <summary>
/// In-process silos only: when each task's body really began, noted by the body itself (the
/// <see cref="Handler"/>, an echo that first reads the clock). A record's <c>startedAt</c> is the
/// time its start was decided, which may precede the write the body waits for; the peers' latency is
/// measured from their bodies, so OEE's is measured the same way where the body runs in this process.
/// </summary>
internal sealed class BodyStartClock
{
    /// <summary>The handler name of the timed echo.</summary>
    public const string Handler = "bench-timed-echo";

    private readonly ConcurrentDictionary<string, DateTimeOffset> started = new(StringComparer.Ordinal);

    /// <summary>Notes the first start of task <paramref name="taskId"/>'s body.</summary>
    public void Note(string taskId) => started.TryAdd(taskId, DateTimeOffset.UtcNow);

    /// <summary>When the body of <paramref name="taskId"/> began, if it ran here.</summary>
    public bool TryGet(string taskId, out DateTimeOffset at) => started.TryGetValue(taskId, out at);

    /// <summary>Forgets the noted starts (between runs).</summary>
    public void Clear() => started.Clear();
}

/// <summary>The echo handler that notes when its body began (<see cref="BodyStartClock"/>).</summary>
internal sealed class TimedEchoHandler(BodyStartClock clock) : ITaskHandler
{
    public Task<string?> ExecuteAsync(TaskContext context)
    {
        clock.Note(context.TaskId);
        return Task.FromResult(context.Input);
    }
}
