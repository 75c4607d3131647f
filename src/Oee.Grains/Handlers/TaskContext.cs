using System.Text.Json;

namespace Oee.Grains.Handlers;

/// <summary>What a body knows about the task it runs. Grows with the engine (progress, dependency results).</summary>
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

    /// <summary>The task's concurrency key (e.g. a tenant), or null.</summary>
    public string? ConcurrencyKey { get; init; }

    /// <summary>The input deserialized with web defaults (camelCase, case-insensitive).</summary>
    public T? GetInput<T>() => Input is null ? default : JsonSerializer.Deserialize<T>(Input, TaskJson.Options);
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
