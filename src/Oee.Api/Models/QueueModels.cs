using System.ComponentModel;

namespace Oee.Api.Models;

/// <summary>A queue's state.</summary>
public sealed record QueueResponse(
    string Name,
    int Pending,
    IReadOnlyDictionary<string, int> PendingByPriority,
    int Running,
    int MaxConcurrency,
    bool Paused,
    long Enqueued,
    long Started,
    long Finished);

/// <summary>The body of <c>PUT /api/queues/{name}</c>; omitted members stay as they are.</summary>
public sealed record UpdateQueueBody
{
    /// <summary>The concurrency limit.</summary>
    [Description("How many tasks of this queue run at once, at least 1.")]
    public int? MaxConcurrency { get; init; }

    /// <summary>Pause or resume.</summary>
    [Description("True holds new starts (running tasks finish); false resumes.")]
    public bool? Paused { get; init; }
}
