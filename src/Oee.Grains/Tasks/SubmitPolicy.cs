using Oee.Grains.Contracts;
using Oee.Grains.Handlers;

namespace Oee.Grains.Tasks;

/// <summary>
/// A submit's defaults and checks, in one place: which fields a request must get right (the
/// validator's field rules; in a silo also the handler and its input), what an omitted field
/// means, the record a new task starts as, and whether a repeated submit asks for the same task.
/// A new submit field is added here once (<see cref="Accept"/> and <see cref="IsSameRequest"/>).
/// </summary>
internal sealed class SubmitPolicy
{
    private readonly SubmitTaskRequestValidator validator;
    private readonly TaskHandlerRegistry? handlers;
    private readonly int defaultMaxAttempts;
    private readonly Webhooks.WebhookTargets? webhooks;

    /// <summary>A silo's policy: every rule, the handler's input check and the callback URL's target included.</summary>
    public SubmitPolicy(int maxInputBytes, int defaultMaxAttempts, TaskHandlerRegistry handlers, Webhooks.WebhookTargets? webhooks = null)
        : this(new SubmitTaskRequestValidator(maxInputBytes), handlers, defaultMaxAttempts)
    {
        this.webhooks = webhooks;
    }

    private SubmitPolicy(SubmitTaskRequestValidator validator, TaskHandlerRegistry? handlers, int defaultMaxAttempts)
    {
        this.validator = validator;
        this.handlers = handlers;
        this.defaultMaxAttempts = defaultMaxAttempts;
    }

    /// <summary>
    /// A client's policy: the field rules that need no silo, so that a malformed request never
    /// leaves the caller. The silo knows its handlers and its input size limit and checks those.
    /// </summary>
    public static SubmitPolicy ForClient { get; } = new(new SubmitTaskRequestValidator(int.MaxValue), handlers: null, defaultMaxAttempts: 0);

    /// <summary>The queue of a request: its own, or <see cref="TaskLimits.DefaultQueue"/>.</summary>
    public static string QueueOf(SubmitTaskRequest request) => request.Queue ?? TaskLimits.DefaultQueue;

    /// <summary>The priority of a request: its own, or <see cref="TaskLimits.DefaultPriority"/>.</summary>
    public static int PriorityOf(SubmitTaskRequest request) => request.Priority ?? TaskLimits.DefaultPriority;

    /// <summary>
    /// Every field error of the request (empty when it may be submitted). With <paramref name="now"/>,
    /// also that a <see cref="SubmitTaskRequest.RunAt"/> is at most <see cref="TaskLimits.MaxStartDelay"/> ahead.
    /// </summary>
    public IReadOnlyList<FieldError> Check(SubmitTaskRequest request, DateTimeOffset? now = null)
    {
        var errors = validator.Check(request);
        if (now is { } at && request.RunAt > at + TaskLimits.MaxStartDelay)
        {
            errors = [.. errors, new FieldError("runAt", $"RunAt must be at most {TaskLimits.MaxStartDelay.TotalDays:0} days ahead.")];
        }

        if (request.CallbackUrl is { } callback && webhooks?.Check(callback) is { } callbackError)
        {
            errors = [.. errors, callbackError];
        }

        if (errors.Count == 0 && handlers?.Check(request.Handler, request.Input) is { } handlerError)
        {
            return [handlerError];
        }

        return errors;
    }

    /// <summary>
    /// The request as the engine takes it: a task with a tenant and no concurrency key gets the tenant as
    /// its key, so that a queue's <c>maxPerKey</c> limits each tenant (one tenant's many tasks cannot take
    /// every slot from another's). Applied before anything else looks at the request.
    /// </summary>
    public static SubmitTaskRequest WithTenantDefaults(SubmitTaskRequest request) =>
        request is { Tenant: { } tenant, ConcurrencyKey: null } ? request with { ConcurrencyKey = tenant } : request;

    /// <summary>When a request's delayed start is due; null when it starts now (no delay, or a time not after <paramref name="acceptedAt"/>).</summary>
    public static DateTimeOffset? DueAt(SubmitTaskRequest request, DateTimeOffset acceptedAt)
    {
        var dueAt = request.RunAt ?? (request.Delay is { } delay ? acceptedAt + delay : null);
        return dueAt > acceptedAt ? dueAt : null;
    }

    /// <summary>
    /// The record of a task accepted now, from a checked request, at its place in its queue: scheduled
    /// until <paramref name="dueAt"/> when given, with the queue's defaults where the request has none.
    /// The callback: the task's own URL wins; without one, the queue's URL (with the queue's events
    /// unless the request names its own).
    /// </summary>
    public TaskRecord Accept(
        string id,
        SubmitTaskRequest request,
        long sequence,
        DateTimeOffset acceptedAt,
        DateTimeOffset? dueAt = null,
        RetryPolicy? queueRetry = null,
        int? queueMaxAttempts = null,
        TimeSpan? queueTimeout = null,
        string? queueCallbackUrl = null,
        WebhookEvents queueCallbackEvents = WebhookEvents.Final) => new()
    {
        Id = id,
        Name = request.Name,
        Handler = request.Handler,
        Queue = QueueOf(request),
        Priority = PriorityOf(request),
        Tags = request.Tags is { Length: > 0 } tags ? [.. tags] : [],
        Input = request.Input,
        MaxAttempts = request.MaxAttempts ?? queueMaxAttempts ?? defaultMaxAttempts,
        Retry = request.Retry is { } own ? RetryPolicyRules.Normalize(own) : queueRetry,
        Timeout = request.Timeout ?? queueTimeout,
        ConcurrencyKey = request.ConcurrencyKey,
        CallbackUrl = request.CallbackUrl ?? queueCallbackUrl,
        CallbackEvents = request.CallbackEvents ?? (request.CallbackUrl is null && queueCallbackUrl is not null ? queueCallbackEvents : WebhookEvents.Final),
        SubmittedBy = request.SubmittedBy,
        Tenant = request.Tenant,
        ParentId = request.ParentId,
        Status = request.DependsOn is { Length: > 0 } ? OeeTaskStatus.Waiting : dueAt is null ? OeeTaskStatus.Queued : OeeTaskStatus.Scheduled,
        NextRunAt = dueAt,
        DependsOn = request.DependsOn is { Length: > 0 } dependsOn ? [.. dependsOn] : [],
        PendingDependencies = request.DependsOn is { Length: > 0 } pending ? [.. pending] : [],
        RunOnDependencyFailure = request.RunOnDependencyFailure ?? false,
        CreatedAt = acceptedAt,
        Sequence = sequence,
        Version = 1,
        TraceParent = Telemetry.OeeTracing.CurrentParent(),
    };

    /// <summary>
    /// True when a repeated submit with a task's id asks for that task: every field the request sets
    /// (defaults applied) equals the task's; JSON inputs compare by value, dependencies as a set. An
    /// omitted maxAttempts, timeout or retry policy matches whatever default the task got. A delayed
    /// start (runAt, delay) is not compared: a delay counts from the first submit, so its repeat could
    /// not name the same instant.
    /// </summary>
    public static bool IsSameRequest(TaskRecord task, SubmitTaskRequest request) =>
        string.Equals(task.Name, request.Name, StringComparison.Ordinal)
        && string.Equals(task.Handler, request.Handler, StringComparison.Ordinal)
        && string.Equals(task.Queue, QueueOf(request), StringComparison.Ordinal)
        && task.Priority == PriorityOf(request)
        && task.Tags.SequenceEqual(request.Tags ?? [], StringComparer.Ordinal)
        && (request.MaxAttempts is null || request.MaxAttempts == task.MaxAttempts)
        && (request.Timeout is null || request.Timeout == task.Timeout)
        && task.DependsOn.Order(StringComparer.Ordinal).SequenceEqual((request.DependsOn ?? []).Order(StringComparer.Ordinal), StringComparer.Ordinal)
        && task.RunOnDependencyFailure == (request.RunOnDependencyFailure ?? false)
        && string.Equals(task.ConcurrencyKey, request.ConcurrencyKey, StringComparison.Ordinal)
        && (request.CallbackUrl is null || string.Equals(request.CallbackUrl, task.CallbackUrl, StringComparison.Ordinal))
        && string.Equals(task.SubmittedBy, request.SubmittedBy, StringComparison.Ordinal)
        && string.Equals(task.Tenant, request.Tenant, StringComparison.Ordinal)
        && string.Equals(task.ParentId, request.ParentId, StringComparison.Ordinal)
        && (request.Retry is null || RetryPolicyRules.Normalize(request.Retry) == task.Retry)
        && JsonText.AreEquivalent(task.Input, request.Input);
}
