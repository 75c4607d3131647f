using Orleans.CodeGeneration;

namespace Oee.Grains.Tasks;

/// <summary>Engine use: the cluster's one retention sweep (key 0), started by every silo.</summary>
[Version(1)]
[Alias("oee.engine.retention")]
internal interface IRetentionGrain : IGrainWithIntegerKey
{
    /// <summary>Makes sure the sweep runs (idempotent): a timer on the engine clock, and a reminder that restarts it after its silo stops.</summary>
    [Alias("start")]
    Task Start();
}
