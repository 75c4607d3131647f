using Microsoft.Extensions.Hosting;

namespace Oee.Grains.Cluster;

/// <summary>
/// Whether this silo has begun to stop, as early as its host knows it: from the host's stop
/// (<see cref="IHostApplicationLifetime.ApplicationStopping"/>), or from Orleans' own status of the silo
/// (shutting down, stopping, dead). Orleans marks the silo as shutting down only once its lifecycle reaches
/// the silo's own stop, some tenths of a second after the host's stop began (seen: 0.2–0.4 s on 2 cores);
/// a task started in that window could run its body on a silo whose activations were already going
/// away, and its outcome be lost with them. The engine's start guards ask this instead.
/// </summary>
internal sealed class SiloStopping
{
    private readonly ISiloStatusOracle status;
    private volatile bool hostStopping;

    public SiloStopping(ISiloStatusOracle status, IHostApplicationLifetime? lifetime = null)
    {
        this.status = status;

        // Runs at once when the host is already stopping.
        lifetime?.ApplicationStopping.Register(() => hostStopping = true);
    }

    /// <summary>True once this silo's host or Orleans has begun to stop it.</summary>
    public bool IsStopping => hostStopping || status.CurrentStatus.IsTerminating();
}
