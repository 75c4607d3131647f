using System.Text.Json;

namespace Oee.Grains.Handlers;

/// <summary>What a body knows about the task it runs, and how it reports progress.</summary>
public sealed class TaskContext
{
    /// <summary>The task id.</summary>
    public required string TaskId { get; init; }

    /// <summary>The task name.</summary>
    public required string Name { get; init; }

    /// <summary>The queue.</summary>
    public required string Queue { get; init; }

    /// <summary>The priority.</summary>
    public int Priority { get; init; }

    /// <summary>The attempt number, from 1: use it to make a body's effects idempotent.</summary>
    public int Attempt { get; init; }

    /// <summary>The input as JSON text, or null.</summary>
    public string? Input { get; init; }

    /// <summary>Cancelled when the task is cancelled while running.</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>The services of this attempt's DI scope.</summary>
    public required IServiceProvider Services { get; init; }

    /// <summary>The engine's clock: use it for every wait and timestamp of a body, so that tests can drive time.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// The results (JSON text; null for a null result) of this task's dependencies that ended done,
    /// by dependency id, read when the attempt starts. A dependency that ended error or cancelled
    /// (a task with <c>runOnDependencyFailure</c>) or that retention already removed is absent.
    /// </summary>
    public IReadOnlyDictionary<string, string?> DependencyResults { get; init; } = new Dictionary<string, string?>();

    /// <summary>The task's concurrency key (e.g. a tenant), or null.</summary>
    public string? ConcurrencyKey { get; init; }

    /// <summary>The task's tenant, or null: tasks a body submits on the task's behalf (e.g. a pipeline's stages) should carry it.</summary>
    public string? Tenant { get; init; }

    /// <summary>Where progress reports go (null outside the engine, e.g. in a unit test of a handler: reports are then checked and dropped).</summary>
    internal Events.AttemptProgress? ProgressSink { get; init; }

    /// <summary>
    /// Reports how far the body is: <paramref name="percent"/> 0–100 and an optional message (at most
    /// <see cref="Contracts.TaskProgress.MaxMessageLength"/> characters). The latest is kept on the task
    /// (<c>TaskRecord.Progress</c>) and published as a <c>progress</c> event, at most once per
    /// <c>Oee:Events:ProgressInterval</c> (default 1 s): reports in between fold into the next, and the
    /// last one is always recorded when the body ends. Never throws for the
    /// engine's sake: it never waits (the task's activation on this silo records the latest report).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="percent"/> is outside 0–100.</exception>
    /// <exception cref="ArgumentException"><paramref name="message"/> is too long.</exception>
    public ValueTask ReportProgressAsync(int percent, string? message = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(percent, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        if (message is { Length: > Contracts.TaskProgress.MaxMessageLength })
        {
            throw new ArgumentException($"A progress message may have at most {Contracts.TaskProgress.MaxMessageLength} characters (this one has {message.Length}).", nameof(message));
        }

        return ProgressSink?.ReportAsync(percent, message) ?? ValueTask.CompletedTask;
    }

    /// <summary>The input deserialized with web defaults (camelCase, case-insensitive).</summary>
    public T? GetInput<T>() => Input is null ? default : JsonSerializer.Deserialize<T>(Input, TaskJson.Options);

    /// <summary>A done dependency's result deserialized like the input; throws <see cref="KeyNotFoundException"/> when <paramref name="dependencyId"/> has no result here.</summary>
    public T? GetDependencyResult<T>(string dependencyId) => DependencyResults.TryGetValue(dependencyId, out var result)
        ? result is null ? default : JsonSerializer.Deserialize<T>(result, TaskJson.Options)
        : throw new KeyNotFoundException($"Task '{TaskId}' has no result of dependency '{dependencyId}': it is not a dependency, did not end done, or was removed.");
}

/// <summary>The JSON settings handlers use for inputs and results.</summary>
public static class TaskJson
{
    /// <summary>Web defaults: camelCase names, case-insensitive reads, numbers strictly as numbers.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict,
    };
}
