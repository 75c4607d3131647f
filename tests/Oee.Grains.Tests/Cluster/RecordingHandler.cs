using System.Collections.Concurrent;
using System.Text.Json;
using Oee.Grains.Handlers;

namespace Oee.Grains.Tests.Cluster;

/// <summary>
/// A test body that records the order in which bodies of each queue start, how many bodies of one
/// task, of one queue and of one concurrency key in a queue ever ran at once, and which bodies saw their task's cancellation. Then it
/// either waits <c>{"ms": n}</c> or, given <c>{"gate": "name"}</c>, holds until the test opens that
/// gate (<see cref="BodyGates"/>) or the task is cancelled. Every silo of the in-process test
/// cluster shares these records. Result: the attempt number.
/// </summary>
public sealed class RecordingHandler : TaskHandler<RecordingHandler.Input, int>
{
    public const string Name = "record";

    private static readonly ConcurrentDictionary<string, ConcurrentQueue<string>> StartsByQueue = new();
    private static readonly ConcurrentDictionary<string, int> RunningByTask = new();
    private static readonly ConcurrentDictionary<string, int> MostAtOnceByTask = new();
    private static readonly ConcurrentDictionary<string, int> RunningByQueue = new();
    private static readonly ConcurrentDictionary<string, int> MostAtOnceByQueue = new();
    private static readonly ConcurrentDictionary<string, bool> CancelledTasks = new();
    private static readonly ConcurrentDictionary<string, int> RunningByKey = new();
    private static readonly ConcurrentDictionary<string, int> MostAtOnceByKey = new();
    private static readonly ConcurrentDictionary<string, long> StartNumberByTask = new();
    private static long startsSoFar;

    /// <summary>The input of a body that ends at once.</summary>
    public static string Instant { get; } = Wait(0);

    /// <summary>The input of a body that waits <paramref name="ms"/> milliseconds.</summary>
    public static string Wait(int ms) => JsonSerializer.Serialize(new Input(ms), TaskJson.Options);

    /// <summary>The input of a body held until <paramref name="gate"/> opens or its task is cancelled.</summary>
    public static string HeldBy(string gate) => JsonSerializer.Serialize(new Input(0, gate), TaskJson.Options);

    /// <summary>The task ids of the queue's bodies in the order they started (a task again for each attempt).</summary>
    public static IReadOnlyList<string> StartsOf(string queue) =>
        StartsByQueue.TryGetValue(queue, out var starts) ? [.. starts] : [];

    /// <summary>
    /// When the task's last body started, as a number counting every body's start in this process: the order of starts
    /// across queues, which an engine clock that stands still (a fake one) cannot tell. Throws when none started.
    /// </summary>
    public static long StartNumber(string taskId) =>
        StartNumberByTask.TryGetValue(taskId, out var number) ? number : throw new InvalidOperationException($"No body of {taskId} started.");

    /// <summary>The most bodies of the task that ran at the same time (0 when none ran).</summary>
    public static int MostAtOnce(string taskId) => MostAtOnceByTask.GetValueOrDefault(taskId);

    /// <summary>The most bodies of the queue that ran at the same time (0 when none ran).</summary>
    public static int MostAtOnceIn(string queue) => MostAtOnceByQueue.GetValueOrDefault(queue);

    /// <summary>The most bodies of the queue with the concurrency key that ran at the same time (0 when none ran).</summary>
    public static int MostAtOnceOfKey(string queue, string key) => MostAtOnceByKey.GetValueOrDefault(queue + "/" + key);

    /// <summary>Whether a body of the task stopped because the task's cancellation token fired.</summary>
    public static bool SawCancellation(string taskId) => CancelledTasks.ContainsKey(taskId);

    protected override string? Validate(Input input) => input.Ms < 0 ? "\"ms\" must not be negative." : null;

    protected override async Task<int> HandleAsync(Input input, TaskContext context)
    {
        StartsByQueue.GetOrAdd(context.Queue, _ => new ConcurrentQueue<string>()).Enqueue(context.TaskId);
        StartNumberByTask[context.TaskId] = Interlocked.Increment(ref startsSoFar);
        Enter(RunningByTask, MostAtOnceByTask, context.TaskId);
        Enter(RunningByQueue, MostAtOnceByQueue, context.Queue);
        var key = context.ConcurrencyKey is { } k ? context.Queue + "/" + k : null;
        if (key is not null)
        {
            Enter(RunningByKey, MostAtOnceByKey, key);
        }

        try
        {
            if (input.Gate is { } gate)
            {
                await BodyGates.WaitAsync(gate, context.CancellationToken);
            }
            else
            {
                await Task.Delay(input.Ms, context.CancellationToken);
            }

            return context.Attempt;
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            CancelledTasks[context.TaskId] = true;
            throw;
        }
        finally
        {
            if (key is not null)
            {
                RunningByKey.AddOrUpdate(key, 0, (_, n) => n - 1);
            }

            RunningByQueue.AddOrUpdate(context.Queue, 0, (_, n) => n - 1);
            RunningByTask.AddOrUpdate(context.TaskId, 0, (_, n) => n - 1);
        }
    }

    private static void Enter(ConcurrentDictionary<string, int> running, ConcurrentDictionary<string, int> mostAtOnce, string key)
    {
        var now = running.AddOrUpdate(key, 1, (_, n) => n + 1);
        mostAtOnce.AddOrUpdate(key, now, (_, most) => Math.Max(most, now));
    }

    /// <param name="Ms">Milliseconds to wait when there is no gate.</param>
    /// <param name="Gate">The gate that holds the body, or null.</param>
    public sealed record Input(int Ms, string? Gate = null);
}
