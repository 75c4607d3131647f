using Oee.Grains.Contracts;
using Oee.Grains.Workers;

namespace Oee.Grains.Cluster;

/// <summary>Lives on the silo named by its key and reads that silo's worker slots.</summary>
[SiloTargetedPlacement]
internal sealed class SiloWorkerGrain(WorkerSlots slots) : Grain, ISiloWorkerGrain
{
    Task<WorkerSlotUsage> ISiloWorkerGrain.GetUsage() => Task.FromResult(slots.Usage);
}
