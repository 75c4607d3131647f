using System.Collections.Concurrent;
using System.Text.Json;
using Oee.Grains.Handlers;

namespace Oee.Grains.Tests.Cluster;

/// <summary>
/// <c>flaky</c>: fails its first <c>failures</c> attempts (with a <see cref="TaskBodyFailedException"/>,
/// the "permanent" failure, when <c>permanent</c>; else an <see cref="InvalidOperationException"/>),
/// then returns its attempt number. Records each attempt's start on the engine clock, per task.
/// </summary>
public sealed class FlakyHandler : TaskHandler<FlakyHandler.Input, int>
{
    public const string Name = "flaky";

    private static readonly ConcurrentDictionary<string, ConcurrentQueue<(int Attempt, DateTimeOffset At)>> Starts = new();

    public static string Failing(int failures, bool permanent = false) => JsonSerializer.Serialize(new Input(failures, permanent), TaskJson.Options);

    /// <summary>Each attempt of the task that started, in order, with its engine-clock time.</summary>
    public static IReadOnlyList<(int Attempt, DateTimeOffset At)> StartsOf(string taskId) =>
        Starts.TryGetValue(taskId, out var starts) ? [.. starts] : [];

    protected override Task<int> HandleAsync(Input input, TaskContext context)
    {
        Starts.GetOrAdd(context.TaskId, _ => new ConcurrentQueue<(int, DateTimeOffset)>()).Enqueue((context.Attempt, context.Time.GetUtcNow()));
        if (context.Attempt > input.Failures)
        {
            return Task.FromResult(context.Attempt);
        }

        return input.Permanent
            ? throw new TaskBodyFailedException($"attempt {context.Attempt} failed for good")
            : throw new InvalidOperationException($"attempt {context.Attempt} failed");
    }

    public sealed record Input(int Failures, bool Permanent = false);
}
