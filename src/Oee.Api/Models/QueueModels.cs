using System.ComponentModel.DataAnnotations;
using Oee.Api.Models.Validation;
using Oee.Grains.Contracts;

namespace Oee.Api.Models;

/// <summary>A queue's state.</summary>
/// <param name="Name">The queue name.</param>
/// <param name="Pending">Tasks waiting to start.</param>
/// <param name="PendingByPriority">Waiting tasks per priority ("0"–"10"); priorities with none are left out.</param>
/// <param name="Running">Tasks dispatched and not yet finished.</param>
/// <param name="MaxConcurrency">The most tasks of this queue that run at once, cluster-wide.</param>
/// <param name="Paused">True while new starts are held.</param>
/// <param name="Enqueued">Tasks enqueued since the queue activated.</param>
/// <param name="Started">Tasks dispatched since the queue activated.</param>
/// <param name="Finished">Tasks that left the queue after being dispatched since the queue activated.</param>
/// <param name="MaxPending">The most tasks that may wait (0: no limit); a submit beyond it is answered 429.</param>
/// <param name="StartRate">The most starts per second on average, a token bucket (0: no limit).</param>
/// <param name="StartBurst">The most starts at once from a full bucket (0 without a start rate).</param>
/// <param name="MaxPerKey">The most running tasks with the same concurrencyKey (0: no limit).</param>
/// <param name="AgingInterval">Priority aging: a waiting task ranks one level higher after each full interval, up to 10 ([d.]hh:mm:ss; 00:00:00: off).</param>
/// <param name="RunningByKey">Running tasks per concurrencyKey (keys with at least one).</param>
/// <param name="HeldByKeyLimit">Waiting tasks held back because their key already runs maxPerKey tasks.</param>
/// <param name="Scheduled">Tasks held until a time (delayed starts, retries waiting for their backoff).</param>
/// <param name="NextDueAt">When the earliest scheduled task is due; null when none is.</param>
/// <param name="Retry">The default retry policy of tasks submitted without one; null when none.</param>
/// <param name="MaxAttempts">The default maxAttempts of tasks submitted without one; null: the service's default.</param>
/// <param name="Timeout">The default timeout of tasks submitted without one (ISO 8601); null when none.</param>
public sealed partial record QueueResponse(
    string Name,
    int Pending,
    IReadOnlyDictionary<string, int> PendingByPriority,
    int Running,
    int MaxConcurrency,
    bool Paused,
    long Enqueued,
    long Started,
    long Finished,
    int MaxPending,
    double StartRate,
    int StartBurst,
    int MaxPerKey,
    string AgingInterval,
    IReadOnlyDictionary<string, int> RunningByKey,
    int HeldByKeyLimit,
    int Scheduled,
    DateTimeOffset? NextDueAt,
    RetryPolicyResponse? Retry,
    int? MaxAttempts,
    string? Timeout);

/// <summary>The body of <c>PUT /api/queues/{name}</c>; omitted members stay as they are; for the quotas 0 turns one off.</summary>
public sealed partial record UpdateQueueBody
{
    /// <summary>How many tasks of this queue run at once, cluster-wide.</summary>
    [Range(1, int.MaxValue)]
    public int? MaxConcurrency { get; init; }

    /// <summary>True holds new starts (running tasks finish); false resumes.</summary>
    public bool? Paused { get; init; }

    /// <summary>The most tasks that may wait; a submit beyond it is answered 429 with Retry-After and nothing is stored. 0: no limit.</summary>
    [Range(0, QueueLimits.MaxPending)]
    public int? MaxPending { get; init; }

    /// <summary>The most task starts per second on average (a token bucket, one token per start); 0: no limit, else 0.001–1000000.</summary>
    [Range(0, QueueLimits.MaxStartRate)]
    public double? StartRate { get; init; }

    /// <summary>The token bucket's size: starts that may follow each other at once. 0: the start rate rounded up (at least 1).</summary>
    [Range(0, QueueLimits.MaxStartBurst)]
    public int? StartBurst { get; init; }

    /// <summary>The most running tasks with the same concurrencyKey; other keys' tasks start meanwhile in priority order. 0: no limit.</summary>
    [Range(0, QueueLimits.MaxPerKey)]
    public int? MaxPerKey { get; init; }

    /// <summary>Priority aging: after each full interval of waiting a task ranks one priority level higher, up to 10. ISO 8601 (PT30S, PT5M) or [d.]hh:mm:ss, 1 s to 365 days; PT0S turns aging off.</summary>
    [Duration]
    public string? AgingInterval { get; init; }

    /// <summary>The retry policy of tasks submitted later without their own; <c>{"retryOn": "none"}</c> removes it.</summary>
    public RetryPolicyBody? Retry { get; init; }

    /// <summary>The maxAttempts of tasks submitted later without their own.</summary>
    [Range(1, Oee.Grains.Contracts.TaskLimits.MaxAttempts)]
    public int? MaxAttempts { get; init; }

    /// <summary>The timeout of tasks submitted later without their own: ISO 8601 (PT30S) or [d.]hh:mm:ss, up to 365 days; PT0S removes it.</summary>
    [Duration]
    public string? Timeout { get; init; }
}
