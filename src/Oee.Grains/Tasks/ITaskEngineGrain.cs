using Oee.Grains.Contracts;

namespace Oee.Grains.Tasks;

/// <summary>
/// The engine's own messages to a task (the same grain as <see cref="ITaskGrain"/>): what queues,
/// batch submits and clean-up send. Not part of the public contract.
/// </summary>
[Alias("oee.engine.task")]
internal interface ITaskEngineGrain : IGrainWithStringKey
{
    /// <summary>Batch submit: as <see cref="ITaskGrain.Submit"/>, at a queue position reserved for it (<see cref="Queues.IQueueEngineGrain.Reserve"/>).</summary>
    [Alias("submit-reserved")]
    Task<SubmitResult> SubmitReserved(SubmitTaskRequest request, long sequence);

    /// <summary>The task's queue dispatches it, or checks that its running attempt is alive.</summary>
    [Alias("start")]
    Task<StartResult> Start();

    /// <summary>Removes a finished task (completed at or before <paramref name="finishedBefore"/>, when given). True when removed.</summary>
    [Alias("purge")]
    Task<bool> Purge(DateTimeOffset? finishedBefore);

    /// <summary>The task's queue moved it from its scheduled entries to its backlog: a scheduled task is now queued.</summary>
    [Alias("due")]
    Task Due();
}
