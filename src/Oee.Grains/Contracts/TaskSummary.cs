namespace Oee.Grains.Contracts;

/// <summary>
/// A task without its input and result: what listings return and what the task index keeps.
/// </summary>
[GenerateSerializer, Alias("oee.task-summary")]
public sealed record TaskSummary
{
    /// <summary>The task id.</summary>
    [Id(0)] public required string Id { get; init; }

    /// <summary>The task name.</summary>
    [Id(1)] public required string Name { get; init; }

    /// <summary>The handler name.</summary>
    [Id(2)] public required string Handler { get; init; }

    /// <summary>The queue name.</summary>
    [Id(3)] public required string Queue { get; init; }

    /// <summary>0–10.</summary>
    [Id(4)] public int Priority { get; init; }

    /// <summary>Labels.</summary>
    [Id(5)] public string[] Tags { get; init; } = [];

    /// <summary>The status.</summary>
    [Id(6)] public OeeTaskStatus Status { get; init; }

    /// <summary>When accepted.</summary>
    [Id(7)] public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the last attempt started.</summary>
    [Id(8)] public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When it reached a final status.</summary>
    [Id(9)] public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>The last attempt number.</summary>
    [Id(10)] public int Attempt { get; init; }

    /// <summary>The silo of the last attempt.</summary>
    [Id(11)] public string? Silo { get; init; }

    /// <summary>The record version this summary was taken from.</summary>
    [Id(12)] public long Version { get; init; }

    /// <summary>The concurrency key, or null.</summary>
    [Id(30)] public string? ConcurrencyKey { get; init; }

    /// <summary>While scheduled: when it is due to be queued.</summary>
    [Id(20)] public DateTimeOffset? NextRunAt { get; init; }

    /// <summary>True when it ended error with its attempts used up (see <see cref="TaskRecord.DeadLettered"/>).</summary>
    [Id(21)] public bool DeadLettered { get; init; }

    /// <summary>The parent task, or null.</summary>
    [Id(65)] public string? ParentId { get; init; }

    /// <summary>The tenant, or null.</summary>
    [Id(86)] public string? Tenant { get; init; }
}
