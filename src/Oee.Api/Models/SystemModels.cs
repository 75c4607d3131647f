namespace Oee.Api.Models;

/// <summary>One silo.</summary>
public sealed record SiloResponse(string Address, string Name, string Status, int WorkerSlotsBusy, int WorkerSlotsTotal);

/// <summary>The whole cluster.</summary>
public sealed record SystemResponse(
    IReadOnlyList<SiloResponse> Silos,
    IReadOnlyList<QueueResponse> Queues,
    IReadOnlyDictionary<string, long> TaskCounts);
