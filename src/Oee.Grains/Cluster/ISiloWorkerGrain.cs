using Oee.Grains.Contracts;

namespace Oee.Grains.Cluster;

/// <summary>Answers for one silo's worker slots (key: the silo's address in parsable form).</summary>
[Alias("oee.silo-worker")]
internal interface ISiloWorkerGrain : IGrainWithStringKey
{
    [Alias("usage"), ReadOnly]
    Task<WorkerSlotUsage> GetUsage();
}
