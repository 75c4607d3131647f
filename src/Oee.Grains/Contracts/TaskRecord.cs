namespace Oee.Grains.Contracts;

/// <summary>
/// The durable record of one task, owned by its <see cref="ITaskGrain"/>. Every change goes
/// through the task state machine, which increments <see cref="Version"/>.
/// </summary>
[GenerateSerializer, Alias("oee.task-record")]
public sealed record TaskRecord
{
    /// <summary>The task id (the grain key).</summary>
    [Id(0)] public required string Id { get; init; }

    /// <summary>A human-readable name (1–200 characters).</summary>
    [Id(1)] public required string Name { get; init; }

    /// <summary>The registered handler that runs the body.</summary>
    [Id(2)] public required string Handler { get; init; }

    /// <summary>The queue the task runs in.</summary>
    [Id(3)] public required string Queue { get; init; }

    /// <summary>0–10, higher runs first.</summary>
    [Id(4)] public int Priority { get; init; }

    /// <summary>Free-form labels for filtering.</summary>
    [Id(5)] public string[] Tags { get; init; } = [];

    /// <summary>The input as JSON text, or null.</summary>
    [Id(6)] public string? Input { get; init; }

    /// <summary>The current status.</summary>
    [Id(7)] public OeeTaskStatus Status { get; init; }

    /// <summary>When the task was accepted.</summary>
    [Id(8)] public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the current (last) attempt's body started.</summary>
    [Id(9)] public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When the task reached a final status.</summary>
    [Id(10)] public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>The number of the current (last) attempt; 0 before the first start.</summary>
    [Id(11)] public int Attempt { get; init; }

    /// <summary>The body's result as JSON text, when done.</summary>
    [Id(12)] public string? Result { get; init; }

    /// <summary>
    /// The failure, when in error; for a task cancelled because a dependency failed, why (type
    /// <c>DependencyFailed</c>, the message naming the dependency).
    /// </summary>
    [Id(13)] public TaskError? Error { get; init; }

    /// <summary>The per-queue submit sequence number (first submitted = lower).</summary>
    [Id(14)] public long Sequence { get; init; }

    /// <summary>True once a cancel was requested while the body was running.</summary>
    [Id(15)] public bool CancelRequested { get; init; }

    /// <summary>The silo that ran (or runs) the current attempt.</summary>
    [Id(16)] public string? Silo { get; init; }

    /// <summary>Incremented by every applied transition; orders updates to indexes.</summary>
    [Id(17)] public long Version { get; init; }

    /// <summary>How many attempts the task may use; an attempt lost with a dead silo counts. 1–100.</summary>
    [Id(18)] public int MaxAttempts { get; init; } = 1;

    /// <summary>How long one attempt's body may run before it is cancelled as timed out; null for no limit.</summary>
    [Id(50)] public TimeSpan? Timeout { get; init; }

    /// <summary>The tasks this one waits for, as submitted.</summary>
    [Id(40)] public string[] DependsOn { get; init; } = [];

    /// <summary>True when this task runs even after a dependency ended error or cancelled.</summary>
    [Id(41)] public bool RunOnDependencyFailure { get; init; }

    /// <summary>The dependencies not known to have finished yet; the task is waiting while any remain.</summary>
    [Id(42)] public string[] PendingDependencies { get; init; } = [];

    /// <summary>Tasks that wait for this one; each is told when this task finishes.</summary>
    [Id(43)] public string[] Dependents { get; init; } = [];

    /// <summary>The concurrency key (e.g. a tenant), or null: the queue runs at most its <c>maxPerKey</c> tasks of one key at once.</summary>
    [Id(30)] public string? ConcurrencyKey { get; init; }

    /// <summary>While <see cref="OeeTaskStatus.Scheduled"/>: when it is due to be queued (a delayed start, or the next retry).</summary>
    [Id(20)] public DateTimeOffset? NextRunAt { get; init; }

    /// <summary>
    /// True when the task ended <see cref="OeeTaskStatus.Error"/> because its attempts were used up on
    /// failures that would otherwise have been retried (a retryable failure, or a lost attempt).
    /// Cleared by a manual retry.
    /// </summary>
    [Id(21)] public bool DeadLettered { get; init; }

    /// <summary>The retry policy in force (its own or its queue's default at submit); null: a failing body is not retried.</summary>
    [Id(22)] public RetryPolicy? Retry { get; init; }

    /// <summary>
    /// The attempt number at the last manual retry (0 when never retried): this run may use attempts
    /// <c>AttemptsBeforeRetry + 1</c> to <c>AttemptsBeforeRetry + MaxAttempts</c>.
    /// </summary>
    [Id(23)] public int AttemptsBeforeRetry { get; init; }

    /// <summary>The latest progress its body reported in the current attempt (null before any, and again at each new attempt).</summary>
    [Id(75)] public TaskProgress? Progress { get; init; }

    /// <summary>The webhook URL that receives this task's events (its own, or its queue's at submit); null for none.</summary>
    [Id(76)] public string? CallbackUrl { get; init; }

    /// <summary>Which events the webhook receives.</summary>
    [Id(77)] public WebhookEvents CallbackEvents { get; init; }

    /// <summary>The webhook deliveries made so far, oldest first (the last <see cref="WebhookLimits.MaxDeliveriesKept"/>).</summary>
    [Id(78)] public WebhookDelivery[] WebhookDeliveries { get; init; } = [];

    /// <summary>Who submitted the task (the REST API's key id), or null.</summary>
    [Id(85)] public string? SubmittedBy { get; init; }

    /// <summary>The tenant the task belongs to (see <see cref="SubmitTaskRequest.Tenant"/>), or null.</summary>
    [Id(86)] public string? Tenant { get; init; }

    /// <summary>The parent task (e.g. the pipeline of a stage task), or null; cancelling the parent cancels this task.</summary>
    [Id(65)] public string? ParentId { get; init; }

    /// <summary>
    /// The W3C trace context (<c>traceparent</c>) of the span that submitted the task, when that span was
    /// sampled: each attempt's <c>oee.run</c> span is its child, so a submit and its body are one trace
    /// (see the README's "Observability"). Null when the submit was not traced.
    /// </summary>
    [Id(70)] public string? TraceParent { get; init; }

    /// <summary>True when the current run has used all its attempts.</summary>
    public bool AttemptsUsedUp => Attempt - AttemptsBeforeRetry >= MaxAttempts;

    /// <summary>The compact form used by listings and indexes.</summary>
    public TaskSummary ToSummary() => new()
    {
        Id = Id,
        Name = Name,
        Handler = Handler,
        Queue = Queue,
        Priority = Priority,
        Tags = Tags,
        Status = Status,
        CreatedAt = CreatedAt,
        StartedAt = StartedAt,
        CompletedAt = CompletedAt,
        Attempt = Attempt,
        Silo = Silo,
        Version = Version,
        ConcurrencyKey = ConcurrencyKey,
        NextRunAt = NextRunAt,
        DeadLettered = DeadLettered,
        ParentId = ParentId,
        Tenant = Tenant,
    };
}
