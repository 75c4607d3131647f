using System.Globalization;
using System.Text.Json;
using Oee.Api.Errors;
using Oee.Api.Models.Validation;
using Oee.Grains.Contracts;

namespace Oee.Api.Models;

/// <summary>Maps between HTTP models and grain contracts.</summary>
internal static class ModelMapping
{
    /// <summary>
    /// The request of a submit body. Durations that are not durations throw
    /// <see cref="Oee.Grains.Client.OeeValidationException"/> naming <c>{prefix}field</c>; every other rule is the orchestrator's.
    /// </summary>
    public static SubmitTaskRequest ToRequest(this SubmitTaskBody body, string prefix = "")
    {
        var errors = new List<FieldError>();
        var delay = ToDuration(body.Delay, prefix + "delay", errors);
        var timeout = ToDuration(body.Timeout, prefix + "timeout", errors);
        var retry = body.Retry?.ToPolicy(prefix + "retry.", errors);
        if (errors.Count > 0)
        {
            throw new Oee.Grains.Client.OeeValidationException(errors);
        }

        return body.ToRequest(delay, timeout, retry);
    }

    /// <summary>The contract of a retry policy body; bad durations are added to <paramref name="errors"/>.</summary>
    public static RetryPolicy ToPolicy(this RetryPolicyBody body, string prefix, List<FieldError> errors) => new()
    {
        RetryOn = body.RetryOn switch
        {
            RetryOnMode.None => Oee.Grains.Contracts.RetryOn.None,
            RetryOnMode.All => Oee.Grains.Contracts.RetryOn.AllFailures,
            RetryOnMode.Transient => Oee.Grains.Contracts.RetryOn.Transient,
            _ => null,
        },
        InitialDelay = ToDuration(body.InitialDelay, prefix + "initialDelay", errors),
        Multiplier = body.Multiplier,
        MaxDelay = ToDuration(body.MaxDelay, prefix + "maxDelay", errors),
        Jitter = body.Jitter,
    };

    public static RetryPolicyResponse ToResponse(this RetryPolicy policy)
    {
        var resolved = policy.Resolved();
        return new RetryPolicyResponse(
            resolved.RetryOn switch
            {
                Oee.Grains.Contracts.RetryOn.AllFailures => RetryOnMode.All,
                Oee.Grains.Contracts.RetryOn.Transient => RetryOnMode.Transient,
                _ => RetryOnMode.None,
            },
            System.Xml.XmlConvert.ToString(resolved.InitialDelay!.Value),
            resolved.Multiplier!.Value,
            System.Xml.XmlConvert.ToString(resolved.MaxDelay!.Value),
            resolved.Jitter!.Value);
    }

    /// <summary>A duration given as text (ISO 8601 or [d.]hh:mm:ss); null when none; a bad one is added to <paramref name="errors"/> as <paramref name="field"/>'s.</summary>
    public static TimeSpan? ToDuration(string? text, string field, List<FieldError> errors)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (DurationAttribute.TryParse(text, out var duration))
        {
            return duration;
        }

        errors.Add(new FieldError(field, $"'{text}' is not a duration; use ISO 8601 (PT30S, P1D) or [d.]hh:mm:ss."));
        return null;
    }

    /// <summary>A duration as the API writes it: ISO 8601 (PT30S, P1DT2H).</summary>
    public static string? ToText(TimeSpan? duration) => duration is { } value ? System.Xml.XmlConvert.ToString(value) : null;

    private static SubmitTaskRequest ToRequest(this SubmitTaskBody body, TimeSpan? delay, TimeSpan? timeout, RetryPolicy? retry) => new()
    {
        Id = body.Id,
        Name = body.Name ?? "",
        Handler = body.Handler ?? "",
        Queue = body.Queue,
        Priority = body.Priority,
        Tags = body.Tags,
        Input = body.Input is { ValueKind: not JsonValueKind.Null } input ? input.GetRawText() : null,
        MaxAttempts = body.MaxAttempts,
        Timeout = timeout,
        DependsOn = body.DependsOn,
        RunOnDependencyFailure = body.RunOnDependencyFailure,
        ConcurrencyKey = body.ConcurrencyKey,
        RunAt = body.RunAt,
        Delay = delay,
        Retry = retry,
        CallbackUrl = body.CallbackUrl,
        CallbackEvents = body.CallbackEvents.ToContract(),
        ParentId = body.ParentId,
    };

    /// <summary>The listing query from <c>GET /api/tasks</c>'s values, which validation checked before the handler ran.</summary>
    public static TaskQuery ToQuery(string? status, string? queue, string? name, string? tag, string? limit, string? cursor, string? deadLettered = null, string? parentId = null, string? tenant = null) => new()
    {
        Tenant = NullIfEmpty(tenant),
        ParentId = NullIfEmpty(parentId),
        DeadLettered = string.IsNullOrEmpty(deadLettered) ? null : bool.Parse(deadLettered),
        Status = WireNames<TaskState>.TryParse(status, out var state) ? state.ToContract() : null,
        Queue = NullIfEmpty(queue),
        Name = NullIfEmpty(name),
        Tag = NullIfEmpty(tag),
        Limit = string.IsNullOrEmpty(limit) ? TaskQuery.DefaultLimit : int.Parse(limit, NumberStyles.None, CultureInfo.InvariantCulture),
        Cursor = NullIfEmpty(cursor),
    };

    /// <summary>An age checked by <see cref="DurationAttribute"/>; null when none was given.</summary>
    public static TimeSpan? ToAge(string? olderThan) =>
        string.IsNullOrEmpty(olderThan) ? null : DurationAttribute.TryParse(olderThan, out var age) ? age : throw new FormatException("unchecked duration");

    public static TaskResponse ToResponse(this TaskRecord task) => new TaskResponse(
        task.Id,
        task.Name,
        task.Handler,
        task.Queue,
        task.Priority,
        task.Tags,
        task.Status.ToState(),
        task.CreatedAt,
        task.StartedAt,
        task.CompletedAt,
        task.Attempt,
        ToJson(task.Input),
        ToJson(task.Result),
        task.Error is { } error ? new TaskErrorResponse(error.Message, error.Type) : null,
        task.Sequence,
        task.CancelRequested,
        task.Silo,
        task.Version,
        ToText(task.Timeout),
        task.DependsOn,
        task.PendingDependencies,
        task.RunOnDependencyFailure,
        task.Dependents,
        task.ConcurrencyKey,
        task.NextRunAt,
        task.DeadLettered,
        task.MaxAttempts,
        task.Retry?.ToResponse(),
        task.SubmittedBy,
        task.ParentId).WithEventFields(task) with { Tenant = task.Tenant };

    public static SubmitBatchResponse ToResponse(this BatchItemResult[] results) => new(
        results.Count(r => r.Status == SubmitStatus.Created),
        results.Count(r => r.Status == SubmitStatus.Existing),
        results.Count(r => r.Status == SubmitStatus.Conflict),
        results.Count(r => r.Status == SubmitStatus.Invalid),
        results.Count(r => r.Status == SubmitStatus.Failed),
        [.. results.Select(ToResponse)],
        results.Count(r => r.Status == SubmitStatus.QueueFull));

    public static BatchItemResponse ToResponse(this BatchItemResult result) => new(
        result.Id,
        result.Status switch
        {
            SubmitStatus.Created => BatchItemState.Created,
            SubmitStatus.Existing => BatchItemState.Existing,
            SubmitStatus.Conflict => BatchItemState.Conflict,
            SubmitStatus.Invalid => BatchItemState.Invalid,
            SubmitStatus.QueueFull => BatchItemState.QueueFull,
            _ => BatchItemState.Failed,
        },
        result.Task?.ToResponse(),
        result.Errors.Length == 0 ? null : ApiProblems.ByField(result.Errors),
        result.Failure,
        result.Status == SubmitStatus.QueueFull ? ApiProblems.RetryAfterSeconds(result.RetryAfter ?? TimeSpan.Zero) : null);

    public static TaskSummaryResponse ToResponse(this TaskSummary task) => new(
        task.Id,
        task.Name,
        task.Handler,
        task.Queue,
        task.Priority,
        task.Tags,
        task.Status.ToState(),
        task.CreatedAt,
        task.StartedAt,
        task.CompletedAt,
        task.Attempt,
        task.Silo,
        task.ConcurrencyKey,
        task.NextRunAt,
        task.DeadLettered,
        task.ParentId) { Tenant = task.Tenant };

    public static TaskPageResponse ToResponse(this TaskPage page) => new([.. page.Items.Select(ToResponse)], page.NextCursor);

    public static QueueResponse ToResponse(this QueueStatus queue) => new QueueResponse(
        queue.Name,
        queue.Pending,
        queue.PendingByPriority.ToDictionary(p => p.Key.ToString(CultureInfo.InvariantCulture), p => p.Value),
        queue.Running,
        queue.MaxConcurrency,
        queue.Paused,
        queue.Enqueued,
        queue.Started,
        queue.Finished,
        queue.MaxPending,
        queue.StartRate,
        queue.StartBurst,
        queue.MaxPerKey,
        queue.AgingInterval.ToString("c", CultureInfo.InvariantCulture),
        queue.RunningByKey,
        queue.HeldByKeyLimit,
        queue.Scheduled,
        queue.NextDueAt,
        queue.Retry?.ToResponse(),
        queue.MaxAttempts,
        ToText(queue.Timeout)).WithCallback(queue);

    public static SystemResponse ToResponse(this SystemStatus status) => new(
        [.. status.Silos.Select(s => new SiloResponse(s.Address, s.Name, ToSiloState(s.Status), s.WorkerSlotsBusy, s.WorkerSlotsTotal, s.AbandonedBodies))],
        [.. status.Queues.Select(ToResponse)],
        new TaskCountsResponse(
            status.TaskCounts.GetValueOrDefault(OeeTaskStatus.Queued),
            status.TaskCounts.GetValueOrDefault(OeeTaskStatus.Running),
            status.TaskCounts.GetValueOrDefault(OeeTaskStatus.Done),
            status.TaskCounts.GetValueOrDefault(OeeTaskStatus.Error),
            status.TaskCounts.GetValueOrDefault(OeeTaskStatus.Cancelled),
            status.TaskCounts.GetValueOrDefault(OeeTaskStatus.Waiting),
            status.TaskCounts.GetValueOrDefault(OeeTaskStatus.Scheduled)));

    public static TaskState ToState(this OeeTaskStatus status) => status switch
    {
        OeeTaskStatus.Queued => TaskState.Queued,
        OeeTaskStatus.Running => TaskState.Running,
        OeeTaskStatus.Done => TaskState.Done,
        OeeTaskStatus.Error => TaskState.Error,
        OeeTaskStatus.Cancelled => TaskState.Cancelled,
        OeeTaskStatus.Waiting => TaskState.Waiting,
        OeeTaskStatus.Scheduled => TaskState.Scheduled,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "A task status the REST model does not know yet."),
    };

    public static OeeTaskStatus ToContract(this TaskState state) => state switch
    {
        TaskState.Queued => OeeTaskStatus.Queued,
        TaskState.Running => OeeTaskStatus.Running,
        TaskState.Done => OeeTaskStatus.Done,
        TaskState.Error => OeeTaskStatus.Error,
        TaskState.Cancelled => OeeTaskStatus.Cancelled,
        TaskState.Waiting => OeeTaskStatus.Waiting,
        TaskState.Scheduled => OeeTaskStatus.Scheduled,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    // The silo reports Orleans' membership status in lower case ("active", "shuttingdown", ...) or
    // "unreachable"; the enum names the same values. A value Orleans adds later reads as unreachable.
    private static SiloState ToSiloState(string status) =>
        WireNames<SiloState>.TryParse(status, out var state) ? state : SiloState.Unreachable;

    private static JsonElement? ToJson(string? text)
    {
        if (text is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
