using Oee.Grains.Contracts;

namespace Oee.Grains.Client;

/// <summary>
/// The operations of OEE for .NET callers of the cluster (the REST API uses it too): submit,
/// cancel, get, list, queues, system status, clean-up. Failures are typed exceptions:
/// <see cref="OeeValidationException"/>, <see cref="OeeNotFoundException"/>, <see cref="OeeConflictException"/>.
/// </summary>
public partial interface IOrchestrator
{
    /// <summary>
    /// Submits a task; returns once it is durable. With a used id: the same request returns the existing
    /// task, a different one throws <see cref="OeeConflictException"/>. When the task's queue already
    /// holds its <c>maxPending</c> waiting tasks, throws <see cref="OeeQueueFullException"/> (nothing stored).
    /// </summary>
    Task<SubmittedTask> SubmitAsync(SubmitTaskRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Submits up to <see cref="TaskLimits.MaxBatchSize"/> tasks in one call to the cluster. Every
    /// request is checked first: a field error in any of them throws <see cref="OeeValidationException"/>
    /// (fields named <c>tasks[i].field</c>) and nothing is submitted. Then each task is submitted on its
    /// own and the answer says, per request and in order, what became of it: created, existing (same
    /// id and request), conflict (id used by another request), invalid (refused by the silo: unknown
    /// handler, input the handler rejects, input too large), failed (the silo could not take it:
    /// submit it again with the returned id) or queue full (its queue held its <c>maxPending</c> waiting
    /// tasks: nothing of it was stored; submit it again after its <see cref="BatchItemResult.RetryAfter"/>). Returns once every accepted task is durable. The tasks
    /// are submitted concurrently, but each queue reserves their places first, so that among equal
    /// priorities they run in batch order (and after everything submitted to that queue before).
    /// A batch may be a dependency graph: <c>dependsOn</c> names other tasks of the batch by id, or as
    /// <c>#i</c> for <c>tasks[i]</c>. A cycle, a bad reference or a dependency that is neither in the
    /// batch nor stored throws <see cref="OeeValidationException"/> naming <c>tasks[i].dependsOn</c>,
    /// and nothing is submitted.
    /// </summary>
    Task<BatchItemResult[]> SubmitBatchAsync(IReadOnlyList<SubmitTaskRequest> requests, CancellationToken cancellationToken = default);

    /// <summary>The task, or null when no task has this id.</summary>
    Task<TaskRecord?> GetAsync(string taskId, CancellationToken cancellationToken = default);

    /// <summary>Cancels a queued task at once, or asks a running one to stop. Throws when unknown (404) or already done/error (409).</summary>
    Task<CancelResult> CancelAsync(string taskId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs a task that ended error or cancelled (dead-lettered or not) again as a new attempt: queued
    /// at its priority and original sequence, same id, attempt counter continuing, a fresh budget of
    /// maxAttempts attempts, dead-letter flag cleared. Throws <see cref="OeeNotFoundException"/> when
    /// unknown and <see cref="OeeConflictException"/> when queued, scheduled, running or done.
    /// </summary>
    Task<TaskRecord> RetryAsync(string taskId, CancellationToken cancellationToken = default);

    /// <summary>One page of tasks, newest first.</summary>
    Task<TaskPage> ListAsync(TaskQuery query, CancellationToken cancellationToken = default);

    /// <summary>Every known queue.</summary>
    Task<QueueStatus[]> ListQueuesAsync(CancellationToken cancellationToken = default);

    /// <summary>One queue; throws <see cref="OeeNotFoundException"/> when it was never used or configured.</summary>
    Task<QueueStatus> GetQueueAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// Changes a queue's settings (creating it when new): concurrency limit, pause, the quotas
    /// (maxPending, start rate and burst, maxPerKey, aging interval; 0 turns one off), and the default
    /// retry policy and attempts of tasks submitted to it later. Null members stay as they are. A value
    /// out of range throws <see cref="OeeValidationException"/> naming it.
    /// </summary>
    Task<QueueStatus> ConfigureQueueAsync(string name, QueueSettingsUpdate update, CancellationToken cancellationToken = default);

    /// <summary>Silos, queues and task counts.</summary>
    Task<SystemStatus> GetSystemStatusAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes finished tasks, those finished before this call began (only those finished at least
    /// <paramref name="olderThan"/> ago, when given); returns how many. A task that finished while the call runs is left,
    /// and so is a child task (<see cref="SubmitTaskRequest.ParentId"/>, e.g. a pipeline's stage task) whose parent has not finished.
    /// </summary>
    Task<int> ClearFinishedAsync(TimeSpan? olderThan = null, CancellationToken cancellationToken = default);
}

/// <summary>A submitted task and whether this submit created it.</summary>
/// <param name="Task">The task.</param>
/// <param name="Created">True when new; false when the same request had been submitted before.</param>
public sealed record SubmittedTask(TaskRecord Task, bool Created);
