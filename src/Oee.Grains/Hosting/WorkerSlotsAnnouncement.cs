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

    private static readonly string ConfiguredTwice =
        "Orleans' silo metadata is configured twice (UseSiloMetadata was called besides AddOee, which configures it to announce the silo's " +
        $"worker slots): remove the UseSiloMetadata call and put the silo's own metadata under the configuration section '{HostMetadataSection}'.";

    public static void Add(ISiloBuilder silo, IConfiguration configuration)
    {
        if (silo.Services.Any(d => d.ServiceType == typeof(ISiloMetadataCache)))
        {
            throw new InvalidOperationException(ConfiguredTwice);
        }

        var announced = configuration.GetSection(HostMetadataSection).Get<Dictionary<string, string>>() ?? [];
        if (announced.Keys.Any(k => string.Equals(k, ClusterWorkerSlots.MetadataKey, StringComparison.OrdinalIgnoreCase)))
        {
            throw new InvalidOperationException(
                $"'{HostMetadataSection}:{ClusterWorkerSlots.MetadataKey}' is OEE's own silo metadata key (the silo's worker slots): set Oee:WorkerSlotsPerSilo instead.");
        }

        // The count as the options finally say (configuration, or code configuring OeeOptions): Orleans reads the dictionary
        // when it builds its SiloMetadata options, after this earlier-registered step has filled it in. Checked at start.
        var services = silo.Services;
        services.AddOptions<SiloMetadata>().Configure<IOptions<OeeOptions>>((_, oee) =>
            announced[ClusterWorkerSlots.MetadataKey] = oee.Value.WorkerSlotsPerSilo.ToString(CultureInfo.InvariantCulture));
        silo.UseSiloMetadata(announced);
        services.AddSingleton<IValidateOptions<SiloMetadata>>(sp => new AnnouncedSlotsCheck(services, sp.GetRequiredService<IOptions<OeeOptions>>()));
        services.AddSingleton<ClusterWorkerSlots>();
    }

    /// <summary>
    /// At the silo's start (Orleans validates its silo metadata then): the metadata is configured once, and announces the
    /// silo's own worker slots. A host calling UseSiloMetadata after AddOee would run Orleans' metadata service twice over one
    /// cache and announce its own value under OEE's key.
    /// </summary>
    private sealed class AnnouncedSlotsCheck(IServiceCollection services, IOptions<OeeOptions> oee) : IValidateOptions<SiloMetadata>
    {
        public ValidateOptionsResult Validate(string? name, SiloMetadata options)
        {
            if (services.Count(d => d.ServiceType == typeof(ISiloMetadataCache)) != 1)
            {
                return ValidateOptionsResult.Fail(ConfiguredTwice);
            }

            var slots = oee.Value.WorkerSlotsPerSilo;
            return ClusterWorkerSlots.Announced(options.Metadata) == slots
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail(
                    $"The silo metadata announces '{options.Metadata.GetValueOrDefault(ClusterWorkerSlots.MetadataKey)}' worker slots under " +
                    $"'{ClusterWorkerSlots.MetadataKey}' where Oee:WorkerSlotsPerSilo is {slots}: only OEE may set that key.");
        }
    }
}
