namespace Oee.Grains.Contracts;

/// <summary>How a submit ended.</summary>
[GenerateSerializer, Alias("oee.submit-status")]
public enum SubmitStatus
{
    /// <summary>A new task was accepted and is durable.</summary>
    Created = 0,

    /// <summary>A task with this id and the same request already existed; it is returned.</summary>
    Existing = 1,

    /// <summary>A task with this id exists with a different request.</summary>
    Conflict = 2,

    /// <summary>The request was invalid; see the errors.</summary>
    Invalid = 3,

    /// <summary>
    /// Batch submits only (a single submit throws instead): the silo could not answer or store this
    /// task. It may or may not have been accepted; submitting it again with the same id is safe.
    /// </summary>
    Failed = 4,

    /// <summary>
    /// The task's queue already holds its <c>maxPending</c> waiting tasks: the task was refused and
    /// nothing of it was stored or indexed. Submit it again after <see cref="SubmitResult.RetryAfter"/>.
    /// (Numbered in the quotas range of this enum's values.)
    /// </summary>
    QueueFull = 30,
}

/// <summary>The answer to a submit.</summary>
[GenerateSerializer, Alias("oee.submit-result")]
public sealed record SubmitResult
{
    /// <summary>How it ended.</summary>
    [Id(0)] public SubmitStatus Status { get; init; }

    /// <summary>The task (created or existing), or the conflicting one.</summary>
    [Id(1)] public TaskRecord? Task { get; init; }

    /// <summary>The invalid fields, when invalid.</summary>
    [Id(2)] public FieldError[] Errors { get; init; } = [];

    /// <summary>When the queue was full: how long to wait before submitting again.</summary>
    [Id(30)] public TimeSpan? RetryAfter { get; init; }

    /// <summary>When the queue was full: what was refused and why.</summary>
    [Id(31)] public string? Detail { get; init; }

    /// <summary>A new task.</summary>
    public static SubmitResult Created(TaskRecord task) => new() { Status = SubmitStatus.Created, Task = task };

    /// <summary>The same request again.</summary>
    public static SubmitResult Existing(TaskRecord task) => new() { Status = SubmitStatus.Existing, Task = task };

    /// <summary>A different request with a used id.</summary>
    public static SubmitResult Conflict(TaskRecord task) => new() { Status = SubmitStatus.Conflict, Task = task };

    /// <summary>Invalid input.</summary>
    public static SubmitResult Invalid(IReadOnlyList<FieldError> errors) => new() { Status = SubmitStatus.Invalid, Errors = [.. errors] };

    /// <summary>Refused: the queue holds its <paramref name="maxPending"/> waiting tasks.</summary>
    public static SubmitResult QueueFull(string queue, int maxPending, TimeSpan retryAfter) => new()
    {
        Status = SubmitStatus.QueueFull,
        RetryAfter = retryAfter,
        Detail = $"Queue '{queue}' is full: {maxPending} tasks already wait (its maxPending). The task was not stored; submit it again after {retryAfter.TotalSeconds:0.###} s.",
    };
}
