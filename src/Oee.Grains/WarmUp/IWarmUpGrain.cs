using Oee.Grains.Contracts;
using Orleans.CodeGeneration;

namespace Oee.Grains.WarmUp;

/// <summary>One round of the start-up warm-up's engine work, on a new activation of the silo it is called from.</summary>
[Version(1)]
[Alias("oee.warm-up")]
internal interface IWarmUpGrain : IGrainWithStringKey
{
    /// <summary>
    /// Runs a task made from <paramref name="request"/> through the pure engine (accept, start, complete;
    /// the queue's scheduler), stores nothing, returns the finished record after a round trip through
    /// its serialized form, and deactivates.
    /// </summary>
    [Alias("run")]
    Task<TaskRecord> Run(SubmitTaskRequest request);
}
