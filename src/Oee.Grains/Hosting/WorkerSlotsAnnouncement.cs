using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Oee.Grains.Configuration;
using Oee.Grains.Workers;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace Oee.Grains.Hosting;

/// <summary>
/// Announces the silo's worker slots to the other silos through Orleans' silo metadata
/// (<see cref="ClusterWorkerSlots"/> reads them), with whatever the host puts under <c>Orleans:Metadata</c>.
/// </summary>
internal static class WorkerSlotsAnnouncement
{
    /// <summary>The configuration section of a host's own silo metadata (Orleans' convention).</summary>
    public const string HostMetadataSection = "Orleans:Metadata";

    public static void Add(ISiloBuilder silo, IConfiguration configuration)
    {
        if (silo.Services.Any(d => d.ServiceType == typeof(ISiloMetadataCache)))
        {
            throw new InvalidOperationException(
                "Orleans' silo metadata is already configured (UseSiloMetadata was called before AddOee). OEE announces each silo's worker " +
                $"slots in it and configures it itself: remove the UseSiloMetadata call and put the silo's own metadata under the configuration section '{HostMetadataSection}'.");
        }

        var announced = configuration.GetSection(HostMetadataSection).Get<Dictionary<string, string>>() ?? [];
        if (announced.ContainsKey(ClusterWorkerSlots.MetadataKey))
        {
            throw new InvalidOperationException(
                $"'{HostMetadataSection}:{ClusterWorkerSlots.MetadataKey}' is OEE's own silo metadata key (the silo's worker slots): set Oee:WorkerSlotsPerSilo instead.");
        }

        // The count as the options finally say (configuration, or code configuring OeeOptions): Orleans reads the dictionary
        // when it builds its SiloMetadata options, after this earlier-registered step has filled it in.
        silo.Services.AddOptions<SiloMetadata>().Configure<IOptions<OeeOptions>>((_, oee) =>
            announced[ClusterWorkerSlots.MetadataKey] = oee.Value.WorkerSlotsPerSilo.ToString(CultureInfo.InvariantCulture));
        silo.UseSiloMetadata(announced);
        silo.Services.AddSingleton<ClusterWorkerSlots>();
    }
}
