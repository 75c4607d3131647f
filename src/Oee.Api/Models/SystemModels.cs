namespace Oee.Api.Models;

/// <summary>One silo.</summary>
/// <param name="Address">The silo address.</param>
/// <param name="Name">The silo name.</param>
/// <param name="Status">Its membership status, or unreachable.</param>
/// <param name="WorkerSlotsBusy">Bodies running on it now.</param>
/// <param name="WorkerSlotsTotal">The most bodies it runs at once.</param>
/// <param name="AbandonedBodies">Bodies it abandoned since it started: past their task's timeout, they ignored their cancellation for the grace after it (Oee:TimeoutGrace).</param>
public sealed record SiloResponse(string Address, string Name, SiloState Status, int WorkerSlotsBusy, int WorkerSlotsTotal, long AbandonedBodies);

/// <summary>How many tasks have each status, cluster-wide.</summary>
/// <param name="Queued">Waiting in their queues.</param>
/// <param name="Running">Bodies executing.</param>
/// <param name="Done">Finished with a result.</param>
/// <param name="Error">Failed.</param>
/// <param name="Cancelled">Cancelled.</param>
/// <param name="Waiting">Waiting for their dependencies.</param>
/// <param name="Scheduled">Waiting for a time: a delayed start, or a retry's backoff.</param>
public sealed record TaskCountsResponse(long Queued, long Running, long Done, long Error, long Cancelled, long Waiting, long Scheduled);

/// <summary>The whole cluster.</summary>
/// <param name="Silos">Active silos with their worker slots.</param>
/// <param name="Queues">Every known queue.</param>
/// <param name="TaskCounts">Tasks per status.</param>
public sealed record SystemResponse(
    IReadOnlyList<SiloResponse> Silos,
    IReadOnlyList<QueueResponse> Queues,
    TaskCountsResponse TaskCounts);
