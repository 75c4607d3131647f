using Orleans.CodeGeneration;

namespace Oee.Grains.Contracts;

/// <summary>
/// One task (key: its id). Owns the task record and its state machine: every change is a
/// checked transition, and repeated messages are harmless.
/// </summary>
[Version(1)]
[Alias("oee.task")]
public interface ITaskGrain : IGrainWithStringKey
{
    /// <summary>
    /// Creates the task, or returns it when the same request was already submitted with this id. Returns
    /// once durable. When the task's queue already holds its <c>maxPending</c> waiting tasks, answers
    /// <see cref="SubmitStatus.QueueFull"/> and stores nothing.
    /// </summary>
    [Alias("submit")]
    Task<SubmitResult> Submit(SubmitTaskRequest request, CancellationToken cancellationToken = default);

    /// <summary>The task record, or null when no task has this id.</summary>
    [Alias("get"), ReadOnly]
    Task<TaskRecord?> Get(CancellationToken cancellationToken = default);

    /// <summary>Cancels a queued task at once, or asks a running body to stop.</summary>
    [Alias("cancel")]
    Task<CancelResult> Cancel(CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs a task that ended error or cancelled (dead-lettered or not) again as a new attempt: it is
    /// queued at its priority and original sequence, keeps its id and attempt counter, gets
    /// <see cref="TaskRecord.MaxAttempts"/> fresh attempts and loses its dead-letter flag. Refused for
    /// any other status.
    /// </summary>
    [Alias("retry")]
    Task<RetryResult> Retry(CancellationToken cancellationToken = default);

    /// <summary>
    /// Waits (without polling) until the task reaches a final status, at most <paramref name="maxWait"/>
    /// (capped at 20 seconds so that the call stays inside a response timeout), and answers the record
    /// as it then is: final, or not yet (ask again), or null when no task has this id. Interleaves with
    /// the task's other calls. Use <c>IOrchestrator.WaitAsync</c>, which asks again until the end.
    /// </summary>
    [Alias("wait-for-finish"), AlwaysInterleave]
    Task<TaskRecord?> WaitForFinish(TimeSpan maxWait, CancellationToken cancellationToken = default);
}
