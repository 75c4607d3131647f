namespace Oee.Grains.Contracts;

/// <summary>One silo of the cluster and its worker slots.</summary>
[GenerateSerializer, Alias("oee.silo-status")]
public sealed record SiloStatus
{
    /// <summary>The silo address.</summary>
    [Id(0)] public required string Address { get; init; }

    /// <summary>The silo name.</summary>
    [Id(1)] public required string Name { get; init; }

    /// <summary>Membership status ("active", ...), or "unreachable" when membership lists the silo but it did not answer within 2 s.</summary>
    [Id(2)] public required string Status { get; init; }

    /// <summary>Bodies running on this silo now.</summary>
    [Id(3)] public int WorkerSlotsBusy { get; init; }

    /// <summary>The most bodies this silo runs at once.</summary>
    [Id(4)] public int WorkerSlotsTotal { get; init; }

    /// <summary>Bodies it abandoned since it started: past their timeout, they ignored their cancellation for the grace after it.</summary>
    [Id(50)] public long AbandonedBodies { get; init; }
}

/// <summary>The whole cluster at a glance.</summary>
[GenerateSerializer, Alias("oee.system-status")]
public sealed record SystemStatus
{
    /// <summary>Active silos.</summary>
    [Id(0)] public SiloStatus[] Silos { get; init; } = [];

    /// <summary>Every known queue.</summary>
    [Id(1)] public QueueStatus[] Queues { get; init; } = [];

    /// <summary>Tasks per status (every status present, zero included).</summary>
    [Id(2)] public Dictionary<OeeTaskStatus, long> TaskCounts { get; init; } = [];
}

/// <summary>A silo's worker slots.</summary>
/// <param name="Busy">Slots in use.</param>
/// <param name="Total">All slots.</param>
[GenerateSerializer, Immutable, Alias("oee.worker-slot-usage")]
public sealed record WorkerSlotUsage([property: Id(0)] int Busy, [property: Id(1)] int Total)
{
    /// <summary>
    /// Bodies this silo stopped waiting for since it started: they ran past their task's timeout and
    /// ignored their cancellation for the grace that follows (<c>Oee:TimeoutGrace</c>); their slots were freed.
    /// </summary>
    [Id(50)] public long Abandoned { get; init; }
}
