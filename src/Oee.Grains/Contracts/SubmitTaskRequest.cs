namespace Oee.Grains.Contracts;

/// <summary>What a client sends to create a task.</summary>
[GenerateSerializer, Alias("oee.submit-task-request")]
public sealed record SubmitTaskRequest
{
    /// <summary>
    /// Optional client-chosen id (<c>[A-Za-z0-9._:-]</c>, at most 128). Submitting the same id
    /// again returns the existing task when the request is the same, and a conflict otherwise.
    /// </summary>
    [Id(0)] public string? Id { get; init; }

    /// <summary>A human-readable name (1–200 characters).</summary>
    [Id(1)] public string Name { get; init; } = "";

    /// <summary>The registered handler to run, e.g. "echo".</summary>
    [Id(2)] public string Handler { get; init; } = "";

    /// <summary>The queue; "default" when omitted.</summary>
    [Id(3)] public string? Queue { get; init; }

    /// <summary>0–10, higher first; 5 when omitted.</summary>
    [Id(4)] public int? Priority { get; init; }

    /// <summary>Optional labels (at most 20, each <c>[A-Za-z0-9._:-]</c>, at most 64).</summary>
    [Id(5)] public string[]? Tags { get; init; }

    /// <summary>The input as JSON text (at most the configured size, 1 MiB by default).</summary>
    [Id(6)] public string? Input { get; init; }

    /// <summary>
    /// How many attempts the task may use (1–100); the queue's default, else the silo's (3), when
    /// omitted. An attempt lost because its silo died counts; a failing body is retried only under a
    /// <see cref="Retry"/> policy.
    /// </summary>
    [Id(7)] public int? MaxAttempts { get; init; }

    /// <summary>
    /// How long one attempt's body may run (more than zero, at most 365 days); none when omitted. When
    /// it passes, the body's cancellation token fires and the attempt ends <c>error</c> with type
    /// <c>Timeout</c>; a body that ignores its token is abandoned after <c>Oee:TimeoutGrace</c>.
    /// </summary>
    [Id(50)] public TimeSpan? Timeout { get; init; }

    /// <summary>
    /// Ids of tasks this one waits for (at most <see cref="TaskLimits.MaxDependencies"/>, no repeats):
    /// it is <see cref="OeeTaskStatus.Waiting"/> until all are done, then queued. Each must exist when
    /// this task is submitted, or be submitted in the same batch (where <c>#i</c> also names
    /// <c>tasks[i]</c> of the batch).
    /// </summary>
    [Id(40)] public string[]? DependsOn { get; init; }

    /// <summary>
    /// True: run once every dependency has finished, whatever its status. False or omitted: a
    /// dependency that ends error or cancelled cancels this task.
    /// </summary>
    [Id(41)] public bool? RunOnDependencyFailure { get; init; }

    /// <summary>
    /// Optional concurrency key (e.g. a tenant; 1–64 characters of <c>[A-Za-z0-9._:-]</c>): the queue
    /// runs at most its <c>maxPerKey</c> tasks with the same key at once and starts other keys' tasks meanwhile.
    /// </summary>
    [Id(30)] public string? ConcurrencyKey { get; init; }

    /// <summary>
    /// Delayed start: the task stays <see cref="OeeTaskStatus.Scheduled"/> until this instant, then
    /// is queued at its priority and submit order. An instant in the past runs now. At most
    /// <see cref="TaskLimits.MaxStartDelay"/> ahead. Not together with <see cref="Delay"/>.
    /// </summary>
    [Id(20)] public DateTimeOffset? RunAt { get; init; }

    /// <summary>
    /// Delayed start: as <see cref="RunAt"/>, this long after the submit is accepted (0 to
    /// <see cref="TaskLimits.MaxStartDelay"/>). Not together with <see cref="RunAt"/>.
    /// </summary>
    [Id(21)] public TimeSpan? Delay { get; init; }

    /// <summary>
    /// How failed attempts are retried (backoff, which failures); the queue's default when omitted,
    /// and without either a failing body ends the task at once. The number of attempts is
    /// <see cref="MaxAttempts"/>.
    /// </summary>
    [Id(22)] public RetryPolicy? Retry { get; init; }

    /// <summary>
    /// A URL (http or https, its host among <c>Oee:Webhooks:AllowedHosts</c>) that receives the task's
    /// events as signed POSTs (see <see cref="CallbackEvents"/>); the queue's when omitted.
    /// </summary>
    [Id(75)] public string? CallbackUrl { get; init; }

    /// <summary>
    /// Which events <see cref="CallbackUrl"/> receives. When omitted: <see cref="WebhookEvents.Final"/> for the
    /// task's own URL, the queue's <see cref="QueueStatus.CallbackEvents"/> for the queue's URL.
    /// </summary>
    [Id(76)] public WebhookEvents? CallbackEvents { get; init; }

    /// <summary>
    /// Who submitted the task (1–64 characters of <c>[A-Za-z0-9._:-]</c>), or null. The REST API sets it
    /// to the API key's id and ignores what a body says; a key with the submitter role may cancel and
    /// retry only its own tasks. Part of the request: the same id from another submitter is a conflict.
    /// </summary>
    [Id(85)] public string? SubmittedBy { get; init; }

    /// <summary>
    /// The tenant the task belongs to (1–64 characters of <c>[A-Za-z0-9._-]</c>), or null. The REST API
    /// sets it from a tenant-bound API key (a body cannot choose it), and such a key sees and touches only
    /// its tenant's tasks; a trusted .NET client may set it. A task with a tenant and no
    /// <see cref="ConcurrencyKey"/> gets the tenant as its concurrency key, so that a queue's
    /// <c>maxPerKey</c> limits each tenant. Child tasks (pipeline stages) inherit it; its dependencies must
    /// be tasks of the same tenant. Part of the request: the same id from another tenant is a conflict.
    /// </summary>
    [Id(86)] public string? Tenant { get; init; }

    /// <summary>
    /// The task this one is a child of (e.g. a pipeline's stage task), or null. Listings filter by it
    /// (<see cref="TaskQuery.ParentId"/>), and cancelling the parent cancels every unfinished child.
    /// The parent need not exist when the child is submitted.
    /// </summary>
    [Id(65)] public string? ParentId { get; init; }
}
