using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Oee.Api.Models.Validation;
using Oee.Grains.Contracts;

namespace Oee.Api.Models;

// The attributes on the request bodies describe the contract in the OpenAPI document, with the
// constants of TaskLimits. They are checked once, by the orchestrator's submit rules (the same
// constants), so the body endpoints opt out of AddValidation: one set of rules, one set of messages.

/// <summary>The body of <c>POST /api/tasks</c>: one task to submit.</summary>
public sealed partial record SubmitTaskBody
{
    /// <summary>Optional client-chosen id. The same request again returns the same task (<c>created: false</c>); a different request with a used id is a 409.</summary>
    [Identifier]
    public string? Id { get; init; }

    /// <summary>A human-readable name.</summary>
    [Required]
    [StringLength(TaskLimits.MaxNameLength, MinimumLength = 1)]
    public string? Name { get; init; }

    /// <summary>The registered handler that runs the body: echo, delay, fail, or your own.</summary>
    [Required]
    [Identifier]
    public string? Handler { get; init; }

    /// <summary>The queue the task waits in.</summary>
    [Identifier]
    [DefaultValue(TaskLimits.DefaultQueue)]
    public string? Queue { get; init; }

    /// <summary>Higher runs first.</summary>
    [Range(TaskLimits.MinPriority, TaskLimits.MaxPriority)]
    [DefaultValue(TaskLimits.DefaultPriority)]
    public int? Priority { get; init; }

    /// <summary>Labels for filtering, each 1–64 characters of [A-Za-z0-9._:-].</summary>
    [MaxLength(TaskLimits.MaxTags)]
    [ItemPattern(TaskLimits.MaxTagLength)]
    public string[]? Tags { get; init; }

    /// <summary>Any JSON value (object, array, string, number, boolean or null), at most 1 MiB by default; the handler defines its shape.</summary>
    public JsonElement? Input { get; init; }

    /// <summary>How many attempts the task may use; an attempt lost with a dead silo counts. The queue's default, else the service's (3), when omitted.</summary>
    [Range(1, TaskLimits.MaxAttempts)]
    public int? MaxAttempts { get; init; }

    /// <summary>
    /// How long one attempt's body may run: ISO 8601 (PT30S, PT2H) or [d.]hh:mm:ss, more than zero, at
    /// most 365 days; the queue's default, else no limit, when omitted. When it passes, the body's
    /// cancellation token fires and the attempt ends <c>error</c> with type <c>Timeout</c>; a body that
    /// ignores its token is abandoned after the silo's grace (30 s by default).
    /// </summary>
    [Duration]
    public string? Timeout { get; init; }

    /// <summary>Task ids this task waits for (at most 100): it is waiting until all are done, then queued. Each must exist, or be in the same batch, where "#i" also names tasks[i].</summary>
    [MaxLength(TaskLimits.MaxDependencies)]
    public string[]? DependsOn { get; init; }

    /// <summary>True: run once every dependency finished, however it ended. Omitted or false: a dependency that ends error or cancelled cancels this task.</summary>
    [DefaultValue(false)]
    public bool? RunOnDependencyFailure { get; init; }

    /// <summary>A concurrency key such as a tenant (1–64 characters of [A-Za-z0-9._:-]): the queue runs at most its maxPerKey tasks with the same key at once, and starts other keys' tasks meanwhile.</summary>
    [Identifier(QueueLimits.MaxConcurrencyKeyLength)]
    public string? ConcurrencyKey { get; init; }

    /// <summary>Delayed start: the task is scheduled until this instant (at most 365 days ahead), then queued; a past instant runs now. Not with delay.</summary>
    public DateTimeOffset? RunAt { get; init; }

    /// <summary>Delayed start: as runAt, this long after the submit (ISO 8601 PT30S, or [d.]hh:mm:ss; 0 to 365 days). Not with runAt.</summary>
    [Duration]
    public string? Delay { get; init; }

    /// <summary>How failed attempts are retried; the queue's default when omitted (and without one a failing body ends the task at once).</summary>
    public RetryPolicyBody? Retry { get; init; }

    /// <summary>The parent task (e.g. a pipeline): listings filter by it (parentId), and cancelling the parent cancels this task.</summary>
    [Identifier]
    public string? ParentId { get; init; }
}

/// <summary>A task's error.</summary>
/// <param name="Message">What went wrong.</param>
/// <param name="Type">The exception type or error kind (e.g. AttemptLost).</param>
public sealed record TaskErrorResponse(string Message, string Type);

/// <summary>A whole task, with its input and result.</summary>
/// <param name="Id">The task id: a UUID v7, or the client's own.</param>
/// <param name="Name">The task name.</param>
/// <param name="Handler">The handler that runs the body.</param>
/// <param name="Queue">The queue.</param>
/// <param name="Priority">0–10, higher runs first.</param>
/// <param name="Tags">Labels.</param>
/// <param name="Status">Where the task is in its lifecycle.</param>
/// <param name="CreatedAt">When it was accepted.</param>
/// <param name="StartedAt">When its latest attempt started; null until then.</param>
/// <param name="CompletedAt">When it reached a final status; null until then.</param>
/// <param name="Attempt">The number of the latest attempt (0 before the first).</param>
/// <param name="Input">The input as submitted: any JSON value, null when none was given.</param>
/// <param name="Result">The body's result when done: any JSON value (the echo handler returns its input).</param>
/// <param name="Error">Why it failed, when its status is error.</param>
/// <param name="Sequence">Its place among equal priorities in its queue (first submitted first).</param>
/// <param name="CancelRequested">True once a cancel asked its running body to stop.</param>
/// <param name="Silo">The silo that ran (or runs) it.</param>
/// <param name="Version">Incremented by every change.</param>
/// <param name="Timeout">How long one attempt's body may run (ISO 8601); null for no limit.</param>
/// <param name="DependsOn">The tasks it waits for, as submitted.</param>
/// <param name="PendingDependencies">Those not known to have finished yet (it is waiting while any remain).</param>
/// <param name="RunOnDependencyFailure">True when it runs even after a dependency ended error or cancelled.</param>
/// <param name="Dependents">Tasks that wait for this one.</param>
/// <param name="ConcurrencyKey">The concurrency key (e.g. a tenant), when given.</param>
/// <param name="NextRunAt">While scheduled: when it is due to be queued (a delayed start, or the next retry).</param>
/// <param name="DeadLettered">True when it ended error with its attempts used up on failures that would otherwise have been retried.</param>
/// <param name="MaxAttempts">How many attempts the task may use per run (a manual retry starts a new run).</param>
/// <param name="Retry">The retry policy in force; null when a failing body is not retried.</param>
/// <param name="SubmittedBy">The id of the API key that submitted it, or null (no keys configured, or submitted by a .NET client or a schedule).</param>
/// <param name="ParentId">The parent task (e.g. the pipeline of a stage task), or null.</param>
public partial record TaskResponse(
    string Id,
    string Name,
    string Handler,
    string Queue,
    int Priority,
    IReadOnlyList<string> Tags,
    TaskState Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    int Attempt,
    JsonElement? Input,
    JsonElement? Result,
    TaskErrorResponse? Error,
    long Sequence,
    bool CancelRequested,
    string? Silo,
    long Version,
    string? Timeout,
    IReadOnlyList<string> DependsOn,
    IReadOnlyList<string> PendingDependencies,
    bool RunOnDependencyFailure,
    IReadOnlyList<string> Dependents,
    string? ConcurrencyKey,
    DateTimeOffset? NextRunAt,
    bool DeadLettered,
    int MaxAttempts,
    RetryPolicyResponse? Retry,
    string? SubmittedBy,
    string? ParentId);

/// <summary>The answer of <c>POST /api/tasks</c>: the task, and whether this submit created it.</summary>
public sealed record SubmittedTaskResponse : TaskResponse
{
    /// <summary>The task and whether this submit created it.</summary>
    [SetsRequiredMembers]
    public SubmittedTaskResponse(TaskResponse task, bool created)
        : base(task)
    {
        Created = created;
    }

    /// <summary>True when this submit created the task (HTTP 201); false when the same request with this id had been accepted before (HTTP 200).</summary>
    public required bool Created { get; init; }
}

/// <summary>A task in a listing (no input or result).</summary>
/// <param name="Id">The task id.</param>
/// <param name="Name">The task name.</param>
/// <param name="Handler">The handler.</param>
/// <param name="Queue">The queue.</param>
/// <param name="Priority">0–10, higher runs first.</param>
/// <param name="Tags">Labels.</param>
/// <param name="Status">Where the task is in its lifecycle.</param>
/// <param name="CreatedAt">When it was accepted.</param>
/// <param name="StartedAt">When its latest attempt started.</param>
/// <param name="CompletedAt">When it reached a final status.</param>
/// <param name="Attempt">The number of the latest attempt.</param>
/// <param name="Silo">The silo that ran (or runs) it.</param>
/// <param name="ConcurrencyKey">The concurrency key (e.g. a tenant), when given.</param>
/// <param name="NextRunAt">While scheduled: when it is due to be queued.</param>
/// <param name="DeadLettered">True when it ended error with its attempts used up.</param>
/// <param name="ParentId">The parent task (e.g. the pipeline of a stage task), or null.</param>
public sealed partial record TaskSummaryResponse(
    string Id,
    string Name,
    string Handler,
    string Queue,
    int Priority,
    IReadOnlyList<string> Tags,
    TaskState Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    int Attempt,
    string? Silo,
    string? ConcurrencyKey,
    DateTimeOffset? NextRunAt,
    bool DeadLettered,
    string? ParentId);

/// <summary>One page of a listing.</summary>
/// <param name="Items">Tasks, newest first.</param>
/// <param name="NextCursor">Pass as <c>cursor</c> for the next page; null on the last.</param>
public sealed record TaskPageResponse(IReadOnlyList<TaskSummaryResponse> Items, string? NextCursor);

/// <summary>The answer of <c>DELETE /api/tasks/finished</c>.</summary>
/// <param name="Removed">How many finished tasks were removed.</param>
public sealed record ClearFinishedResponse(int Removed);

/// <summary>The body of <c>POST /api/tasks/batch</c>.</summary>
public sealed record SubmitBatchBody
{
    /// <summary>1–1000 tasks, each as the body of POST /api/tasks.</summary>
    [Required]
    [MinLength(1)]
    [MaxLength(TaskLimits.MaxBatchSize)]
    public SubmitTaskBody?[]? Tasks { get; init; }
}

/// <summary>What became of one task of a batch.</summary>
/// <param name="Id">The task id (given, or generated): resubmitting with it is safe.</param>
/// <param name="Status">What became of the task.</param>
/// <param name="Task">The task when created or existing; the conflicting task on a conflict.</param>
/// <param name="Errors">When invalid: messages by field, as in a 400 of a single submit.</param>
/// <param name="Detail">When failed: that the service could not take it for the moment, to submit it again with this id, and the traceId under which the service logged the cause; when queueFull: which queue was full.</param>
/// <param name="RetryAfterSeconds">When queueFull: the seconds to wait before submitting it again (as a 429's Retry-After).</param>
public sealed record BatchItemResponse(
    string Id,
    BatchItemState Status,
    TaskResponse? Task,
    IDictionary<string, string[]>? Errors,
    string? Detail,
    int? RetryAfterSeconds);

/// <summary>The answer of <c>POST /api/tasks/batch</c>: counts, then one result per submitted task, in order.</summary>
/// <param name="Created">Tasks created.</param>
/// <param name="Existing">Tasks that existed with the same request.</param>
/// <param name="Conflicts">Tasks whose id belongs to another request.</param>
/// <param name="Invalid">Tasks refused by the silo.</param>
/// <param name="Failed">Tasks the silo could not store.</param>
/// <param name="Results">One per submitted task, in order.</param>
/// <param name="QueueFull">Tasks refused because their queue held its maxPending waiting tasks (nothing of them stored).</param>
public sealed record SubmitBatchResponse(
    int Created,
    int Existing,
    int Conflicts,
    int Invalid,
    int Failed,
    IReadOnlyList<BatchItemResponse> Results,
    int QueueFull);
