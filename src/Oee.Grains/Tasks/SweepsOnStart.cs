using Oee.Grains.Cluster;

namespace Oee.Grains.Tasks;

/// <summary>Every silo makes sure the retention sweep runs (the sweep itself is one grain for the cluster).</summary>
internal sealed class RetentionSweepOnStart : IWakeOnStart
{
    public string What => "the retention sweep";

    public Task Wake(IGrainFactory grains) => grains.GetGrain<IRetentionGrain>(0).Start();
}

/// <summary>Every silo makes sure the dependency sweep runs (the sweep itself is one grain for the cluster).</summary>
internal sealed class DependencySweepOnStart : IWakeOnStart
{
    public string What => "the dependency sweep";

    public Task Wake(IGrainFactory grains) => grains.GetGrain<IDependencySweepGrain>(0).Start();
}
