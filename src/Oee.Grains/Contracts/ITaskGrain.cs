namespace Oee.Grains.Contracts;

/// <summary>
/// One task (key: its id). Owns the task record and its state machine: every change is a
/// checked transition, and repeated messages are harmless.
/// </summary>
[Alias("oee.task")]
public interface ITaskGrain : IGrainWithStringKey
{
    /// <summary>Creates the task, or returns it when the same request was already submitted with this id. Returns once durable.</summary>
    [Alias("submit")]
    Task<SubmitResult> Submit(SubmitTaskRequest request);

    /// <summary>Engine use (batch submit): as <see cref="Submit"/>, at a queue position reserved for it (<see cref="IQueueGrain.Reserve"/>).</summary>
    [Alias("submit-reserved")]
    Task<SubmitResult> SubmitReserved(SubmitTaskRequest request, long sequence);

    /// <summary>The task record, or null when no task has this id.</summary>
    [Alias("get"), ReadOnly]
    Task<TaskRecord?> Get();

    /// <summary>Cancels a queued task at once, or asks a running body to stop.</summary>
    [Alias("cancel")]
    Task<CancelResult> Cancel();

    /// <summary>Engine use: the task's queue dispatches it.</summary>
    [Alias("start")]
    Task<StartResult> Start();

    /// <summary>Engine use: removes a finished task (completed at or before <paramref name="finishedBefore"/>, when given). True when removed.</summary>
    [Alias("purge")]
    Task<bool> Purge(DateTimeOffset? finishedBefore);
}
