using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Oee.Grains.Configuration;

/// <summary>How silos find each other and clients find silos.</summary>
public enum OeeClusterMode
{
    /// <summary>All silos and clients on this machine (127.0.0.1); the first silo is the primary. The default.</summary>
    Localhost,

    /// <summary>The host configures clustering itself (for example a test cluster); OEE leaves it alone.</summary>
    External,

    /// <summary>Membership in the PostgreSQL database of <c>Oee:PostgreSql:ConnectionString</c>: silos and clients on any hosts.</summary>
    PostgreSql,
}

/// <summary>Where a silo looks up which silo holds a grain's activation.</summary>
public enum OeeGrainDirectory
{
    /// <summary>
    /// Orleans' distributed grain directory (range-partitioned over the silos, handed over when
    /// membership changes): stopping one silo moves its share of the directory and deactivates
    /// nothing elsewhere. Costs throughput: every task is a new grain it registers (README, "Rolling restarts").
    /// </summary>
    Distributed,

    /// <summary>
    /// Orleans' classic directory: a stopping silo deactivates the activations on other silos
    /// whose registration it held, so a restart hands back bodies running elsewhere that outlast the
    /// drain time (bodies shorter than it finish where they run). The default: the faster one for a
    /// task-per-grain engine.
    /// </summary>
    Local,
}

/// <summary>Cluster settings, bound from <c>Oee:Cluster</c> and checked when the host is built.</summary>
public sealed class OeeClusterOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Oee:Cluster";

    /// <summary>How silos and clients find each other. Default: <see cref="OeeClusterMode.PostgreSql"/> when a PostgreSQL connection string is set, else <see cref="OeeClusterMode.Localhost"/>.</summary>
    public OeeClusterMode? Mode { get; set; }

    /// <summary>The grain directory silos use. Default <see cref="OeeGrainDirectory.Local"/> (the README's "Rolling restarts" compares both).</summary>
    public OeeGrainDirectory GrainDirectory { get; set; } = OeeGrainDirectory.Local;

    /// <summary>
    /// Place new grains through Orleans' own placement pipeline (Polly's timeout and retry, with a cancellation
    /// source and its timer per placement) instead of OEE's, which keeps the timeout and the number of retries of
    /// the placement settings of Orleans' <c>SiloMessagingOptions</c> (with its own jitter of the waits) but shares
    /// each deadline among the placements of a short window (README, "How it is built"). Default false.
    /// </summary>
    public bool OrleansPlacementPipeline { get; set; }

    /// <summary>
    /// Keep task grains' addresses in Orleans' directory cache, as every other grain's. By default OEE leaves them out:
    /// a task is placed, registered and run once, so its cached address was inserted and looked up on every submit, and
    /// read again only by a later call to the running task (a Get or Cancel, its queue's lease check) from a silo that
    /// had cached it, which under load the cache had let go within a second anyway; such a call now asks the grain
    /// directory (README, "How it is built"). Default false.
    /// </summary>
    public bool CacheTaskAddresses { get; set; }

    /// <summary>This silo's name in membership and status; default "silo-&lt;SiloPort&gt;".</summary>
    public string? SiloName { get; set; }

    /// <summary>The address this silo advertises to others in PostgreSQL mode. Default 127.0.0.1; in containers, the container's address or DNS-resolvable name.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>The Orleans cluster id. Default "oee".</summary>
    public string ClusterId { get; set; } = "oee";

    /// <summary>The Orleans service id (stable across deployments; keys storage). Default "oee".</summary>
    public string ServiceId { get; set; } = "oee";

    /// <summary>This silo's port for silo-to-silo traffic. Default 11111.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>This silo's port for clients. Default 30000.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Localhost mode: the silo port of the primary silo that others join. Default 11111.</summary>
    public int PrimarySiloPort { get; set; } = 11111;

    /// <summary>Clients in localhost mode: the gateway ports to connect to. Default [30000].</summary>
    public int[] GatewayPorts { get; set; } = [30000];

    /// <summary>
    /// Reads and checks the section; throws naming each bad setting. An explicit
    /// <see cref="GatewayPorts"/> list replaces the default one (configuration binding would append to it).
    /// </summary>
    public static OeeClusterOptions Read(IConfiguration configuration)
    {
        var postgresEnabled = OeePostgresOptions.Read(configuration).Enabled;
        var options = new OeeClusterOptions();
        var section = configuration.GetSection(SectionName);
        section.Bind(options);
        if (section.GetSection(nameof(GatewayPorts)).GetChildren().Any())
        {
            options.GatewayPorts = section.GetSection(nameof(GatewayPorts)).Get<int[]>() ?? [];
        }

        options.Mode ??= postgresEnabled ? OeeClusterMode.PostgreSql : OeeClusterMode.Localhost;
        return OeeSettings.Validate(options, SectionName, new OeeClusterOptionsValidator(postgresEnabled));
    }
}

/// <summary>Checks <see cref="OeeClusterOptions"/>; PostgreSQL membership needs a connection string.</summary>
internal sealed class OeeClusterOptionsValidator(bool postgresEnabled) : IValidateOptions<OeeClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, OeeClusterOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ClusterId))
        {
            failures.Add("Oee:Cluster:ClusterId must not be empty.");
        }

        if (string.IsNullOrWhiteSpace(options.ServiceId))
        {
            failures.Add("Oee:Cluster:ServiceId must not be empty.");
        }

        foreach (var (setting, port) in new[] { ("SiloPort", options.SiloPort), ("GatewayPort", options.GatewayPort), ("PrimarySiloPort", options.PrimarySiloPort) })
        {
            if (port is < 1 or > 65535)
            {
                failures.Add($"Oee:Cluster:{setting} must be a port from 1 to 65535 (was {port}).");
            }
        }

        if (options.GatewayPorts.Length == 0 || options.GatewayPorts.Any(p => p is < 1 or > 65535))
        {
            failures.Add("Oee:Cluster:GatewayPorts must list at least one port from 1 to 65535.");
        }

        if (options.Mode == OeeClusterMode.PostgreSql && !postgresEnabled)
        {
            failures.Add("Oee:Cluster:Mode is PostgreSql but Oee:PostgreSql:ConnectionString is not set.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
