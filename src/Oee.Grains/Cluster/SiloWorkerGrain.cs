using Oee.Grains.Contracts;
using Oee.Grains.Workers;

namespace Oee.Grains.Cluster;

/// <summary>Lives on the silo named by its key and reads that silo's worker slots and running attempts.</summary>
[SiloTargetedPlacement]
internal sealed class SiloWorkerGrain(WorkerSlots slots, LocalAttempts attempts) : Grain, ISiloWorkerGrain
{
    Task<WorkerSlotUsage> ISiloWorkerGrain.GetUsage() => Task.FromResult(slots.Usage);

    Task<bool> ISiloWorkerGrain.RunsAttempt(string taskId, int attempt) => Task.FromResult(attempts.IsRunning(taskId, attempt));

    Task<bool> ISiloWorkerGrain.CancelAttempt(string taskId, int attempt) => Task.FromResult(attempts.Cancel(taskId, attempt));
}
