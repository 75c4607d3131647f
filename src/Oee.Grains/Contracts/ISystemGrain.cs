using Orleans.CodeGeneration;

namespace Oee.Grains.Contracts;

/// <summary>Cluster-wide status and the list of queues (a stateless entry point).</summary>
[Version(1)]
[Alias("oee.system")]
public interface ISystemGrain : IGrainWithIntegerKey
{
    /// <summary>Silos with their worker slots, queues and task counts.</summary>
    [Alias("status"), ReadOnly]
    Task<SystemStatus> GetStatus(CancellationToken cancellationToken = default);

    /// <summary>The status of every known queue, by name.</summary>
    [Alias("queues"), ReadOnly]
    Task<QueueStatus[]> ListQueues(CancellationToken cancellationToken = default);

    /// <summary>True when a queue of this name has been used or configured.</summary>
    [Alias("queue-exists"), ReadOnly]
    Task<bool> QueueExists(string name, CancellationToken cancellationToken = default);
}
