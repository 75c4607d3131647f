using System.ComponentModel.DataAnnotations;

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
/// <param name="Scheduled">Tasks held until a time (delayed starts, retries waiting for their backoff).</param>
/// <param name="NextDueAt">When the earliest scheduled task is due; null when none is.</param>
/// <param name="Retry">The default retry policy of tasks submitted without one; null when none.</param>
/// <param name="MaxAttempts">The default maxAttempts of tasks submitted without one; null: the service's default.</param>
public sealed record QueueResponse(
    string Name,
    int Pending,
    IReadOnlyDictionary<string, int> PendingByPriority,
    int Running,
    int MaxConcurrency,
    bool Paused,
    long Enqueued,
    long Started,
    long Finished,
    int Scheduled,
    DateTimeOffset? NextDueAt,
    RetryPolicyResponse? Retry,
    int? MaxAttempts);

/// <summary>The body of <c>PUT /api/queues/{name}</c>; omitted members stay as they are.</summary>
public sealed record UpdateQueueBody
{
    /// <summary>How many tasks of this queue run at once, cluster-wide.</summary>
    [Range(1, int.MaxValue)]
    public int? MaxConcurrency { get; init; }

    /// <summary>True holds new starts (running tasks finish); false resumes.</summary>
    public bool? Paused { get; init; }

    /// <summary>The retry policy of tasks submitted later without their own; <c>{"retryOn": "none"}</c> removes it.</summary>
    public RetryPolicyBody? Retry { get; init; }

    /// <summary>The maxAttempts of tasks submitted later without their own.</summary>
    [Range(1, Oee.Grains.Contracts.TaskLimits.MaxAttempts)]
    public int? MaxAttempts { get; init; }
}
