using Microsoft.Extensions.Logging;
using Oee.Grains.Configuration;
using Orleans.Runtime;

namespace Oee.Grains.Cluster;

/// <summary>
/// In localhost mode, a silo whose <see cref="OeeClusterOptions.SiloPort"/> is not the
/// <see cref="OeeClusterOptions.PrimarySiloPort"/> joins the primary silo there and does not start until it answers.
/// Moving only the silo port of a silo meant to run alone (an embedded API on other ports) left it waiting with no
/// word but Orleans' connection warnings; this says at start which primary it waits for and the setting that moves it.
/// </summary>
internal sealed partial class LocalhostPrimaryNotice(OeeClusterOptions cluster, ILogger<LocalhostPrimaryNotice> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(LocalhostPrimaryNotice), ServiceLifecycleStage.First, _ =>
        {
            Announce();
            return Task.CompletedTask;
        });

    /// <summary>Logs the primary this silo joins, when it is not this silo itself.</summary>
    internal void Announce()
    {
        if (cluster.Mode == OeeClusterMode.Localhost && cluster.SiloPort != cluster.PrimarySiloPort)
        {
            LogJoiningPrimary(logger, cluster.SiloPort, cluster.PrimarySiloPort);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Localhost clustering: this silo (port {SiloPort}) joins the primary silo at 127.0.0.1:{PrimarySiloPort} (Oee:Cluster:PrimarySiloPort) and starts once it answers; a silo meant to run alone or to be the primary sets Oee:Cluster:PrimarySiloPort to its own port")]
    private static partial void LogJoiningPrimary(ILogger logger, int siloPort, int primarySiloPort);
}
