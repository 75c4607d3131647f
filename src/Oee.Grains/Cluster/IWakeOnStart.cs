namespace Oee.Grains.Cluster;

/// <summary>
/// Something every silo starts or wakes once it is active: a cluster-wide sweep, the known queues, the
/// schedules. Run by <see cref="WakeOnStart"/>, never awaited by the silo's start; each also has a
/// reminder (or another silo) that does it when this silo cannot.
/// </summary>
internal interface IWakeOnStart
{
    /// <summary>What it wakes, for the log ("the retention sweep").</summary>
    string What { get; }

    /// <summary>Starts or wakes it.</summary>
    Task Wake(IGrainFactory grains);
}
