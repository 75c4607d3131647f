namespace Oee.Grains.Contracts;

/// <summary>What became of one task of a batch submit.</summary>
[GenerateSerializer, Alias("oee.batch-item-result")]
public sealed record BatchItemResult
{
    /// <summary>The task id: the request's, or the one the engine gave it. Resubmitting with it is safe.</summary>
    [Id(0)] public required string Id { get; init; }

    /// <summary>Created, Existing, Conflict, Invalid, Failed or QueueFull.</summary>
    [Id(1)] public SubmitStatus Status { get; init; }

    /// <summary>The task (created or existing), or the conflicting one.</summary>
    [Id(2)] public TaskRecord? Task { get; init; }

    /// <summary>The invalid fields, when invalid (named as in a single submit).</summary>
    [Id(3)] public FieldError[] Errors { get; init; } = [];

    /// <summary>Why the silo could not take the task, when failed; why the queue refused it, when its queue was full.</summary>
    [Id(4)] public string? Failure { get; init; }

    /// <summary>When the task's queue was full (<see cref="SubmitStatus.QueueFull"/>): how long to wait before submitting it again.</summary>
    [Id(30)] public TimeSpan? RetryAfter { get; init; }

    /// <summary>The item for a submit's answer.</summary>
    public static BatchItemResult From(string id, SubmitResult result) =>
        new() { Id = id, Status = result.Status, Task = result.Task, Errors = result.Errors, Failure = result.Detail, RetryAfter = result.RetryAfter };

    /// <summary>The item as a receipt: without the task when created or existing (a conflict keeps the task it met).</summary>
    public static BatchItemResult AsReceipt(BatchItemResult result) =>
        result.Status is SubmitStatus.Created or SubmitStatus.Existing && result.Task is not null ? result with { Task = null } : result;

    /// <summary>The item for a submit that threw.</summary>
    public static BatchItemResult Failed(string id, string failure) =>
        new() { Id = id, Status = SubmitStatus.Failed, Failure = failure };
}
