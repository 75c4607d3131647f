using System.ComponentModel;
using System.Text.Json;

namespace Oee.Api.Models;

/// <summary>The body of <c>POST /api/tasks</c>.</summary>
public sealed record SubmitTaskBody
{
    /// <summary>Optional client-chosen id for idempotent submits.</summary>
    [Description("Optional client-chosen id ([A-Za-z0-9._:-], at most 128). The same request again returns the same task; a different one is a 409.")]
    public string? Id { get; init; }

    /// <summary>The task name.</summary>
    [Description("A human-readable name, 1–200 characters.")]
    public string? Name { get; init; }

    /// <summary>The handler.</summary>
    [Description("The registered handler that runs the body: echo, delay, fail, or your own.")]
    public string? Handler { get; init; }

    /// <summary>The queue.</summary>
    [Description("The queue ([A-Za-z0-9._:-], at most 128).")]
    [DefaultValue("default")]
    public string? Queue { get; init; }

    /// <summary>The priority.</summary>
    [Description("0–10, higher runs first.")]
    [DefaultValue(5)]
    public int? Priority { get; init; }

    /// <summary>Labels.</summary>
    [Description("Up to 20 labels for filtering.")]
    public string[]? Tags { get; init; }

    /// <summary>The input.</summary>
    [Description("Any JSON value, at most 1 MiB by default; the handler defines its shape.")]
    public JsonElement? Input { get; init; }
}

/// <summary>A task's error.</summary>
/// <param name="Message">What went wrong.</param>
/// <param name="Type">The exception type or error kind.</param>
public sealed record TaskErrorResponse(string Message, string Type);

/// <summary>A whole task.</summary>
public sealed record TaskResponse(
    string Id,
    string Name,
    string Handler,
    string Queue,
    int Priority,
    IReadOnlyList<string> Tags,
    string Status,
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
    long Version);

/// <summary>A task in a listing (no input or result).</summary>
public sealed record TaskSummaryResponse(
    string Id,
    string Name,
    string Handler,
    string Queue,
    int Priority,
    IReadOnlyList<string> Tags,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    int Attempt,
    string? Silo);

/// <summary>One page of a listing.</summary>
/// <param name="Items">Tasks, newest first.</param>
/// <param name="NextCursor">Pass as <c>cursor</c> for the next page; null on the last.</param>
public sealed record TaskPageResponse(IReadOnlyList<TaskSummaryResponse> Items, string? NextCursor);

/// <summary>The query of <c>GET /api/tasks</c>; every value is checked and a bad one is a 400 naming it.</summary>
public sealed record ListTasksParameters
{
    /// <summary>queued, running, done, error or cancelled.</summary>
    [Description("Only tasks with this status: queued, running, done, error or cancelled.")]
    public string? Status { get; init; }

    /// <summary>Only this queue.</summary>
    [Description("Only tasks of this queue.")]
    public string? Queue { get; init; }

    /// <summary>Only this exact name.</summary>
    [Description("Only tasks with exactly this name.")]
    public string? Name { get; init; }

    /// <summary>Only tasks with this tag.</summary>
    [Description("Only tasks carrying this tag.")]
    public string? Tag { get; init; }

    /// <summary>Page size.</summary>
    [Description("Page size, 1–500.")]
    [DefaultValue("50")]
    public string? Limit { get; init; }

    /// <summary>The previous page's nextCursor.</summary>
    [Description("The nextCursor of the previous page.")]
    public string? Cursor { get; init; }
}

/// <summary>The answer of <c>DELETE /api/tasks/finished</c>.</summary>
/// <param name="Removed">How many finished tasks were removed.</param>
public sealed record ClearFinishedResponse(int Removed);

/// <summary>The body of <c>POST /api/tasks/batch</c>.</summary>
public sealed record SubmitBatchBody
{
    /// <summary>The tasks, each as in <c>POST /api/tasks</c>.</summary>
    [Description("1–1000 tasks, each as the body of POST /api/tasks.")]
    public SubmitTaskBody?[]? Tasks { get; init; }
}

/// <summary>What became of one task of a batch.</summary>
/// <param name="Id">The task id (given, or generated): resubmitting with it is safe.</param>
/// <param name="Status">created, existing, conflict, invalid or failed.</param>
/// <param name="Task">The task when created or existing; the conflicting task on a conflict.</param>
/// <param name="Errors">When invalid: messages by field, as in a 400 of a single submit.</param>
/// <param name="Detail">When failed: why the cluster could not take it (submit it again with this id).</param>
public sealed record BatchItemResponse(
    string Id,
    string Status,
    TaskResponse? Task,
    IDictionary<string, string[]>? Errors,
    string? Detail);

/// <summary>The answer of <c>POST /api/tasks/batch</c>: counts, then one result per submitted task, in order.</summary>
public sealed record SubmitBatchResponse(
    int Created,
    int Existing,
    int Conflicts,
    int Invalid,
    int Failed,
    IReadOnlyList<BatchItemResponse> Results);
