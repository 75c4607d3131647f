using Oee.Grains.Contracts;

namespace Oee.Grains.Cluster;

/// <summary>Answers for one silo's worker slots and the attempts running there (key: the silo's address in parsable form).</summary>
[Alias("oee.silo-worker")]
internal interface ISiloWorkerGrain : IGrainWithStringKey
{
    [Alias("usage"), ReadOnly]
    Task<WorkerSlotUsage> GetUsage();

    /// <summary>Whether this silo runs the given attempt of the task now.</summary>
    [Alias("runs-attempt"), ReadOnly]
    Task<bool> RunsAttempt(string taskId, int attempt);

    /// <summary>Tells this silo's body of the given attempt to stop (its task was cancelled). False when it does not run here.</summary>
    [Alias("cancel-attempt")]
    Task<bool> CancelAttempt(string taskId, int attempt);
}
