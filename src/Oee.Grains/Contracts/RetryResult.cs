namespace Oee.Grains.Contracts;

/// <summary>How a manual retry ended.</summary>
[GenerateSerializer, Alias("oee.retry-status")]
public enum RetryStatus
{
    /// <summary>The task is queued again for a new attempt.</summary>
    Requeued = 0,

    /// <summary>The task is not finished as error or cancelled (queued, scheduled, running or done); nothing changed.</summary>
    NotRetryable = 1,

    /// <summary>No task has this id.</summary>
    NotFound = 2,
}

/// <summary>The answer to a manual retry.</summary>
/// <param name="Status">How it ended.</param>
/// <param name="Task">The task after the retry, or null when not found.</param>
/// <param name="Reason">Why it was refused, when <see cref="RetryStatus.NotRetryable"/>.</param>
[GenerateSerializer, Alias("oee.retry-result")]
public sealed record RetryResult([property: Id(0)] RetryStatus Status, [property: Id(1)] TaskRecord? Task, [property: Id(2)] string? Reason = null);
