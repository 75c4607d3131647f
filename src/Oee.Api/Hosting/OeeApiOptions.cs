using Microsoft.Extensions.Options;

namespace Oee.Api.Hosting;

/// <summary>Where the API's grains live.</summary>
public enum OeeApiMode
{
    /// <summary>Host a silo inside the API process (memory storage, localhost clustering). The default.</summary>
    Embedded,

    /// <summary>Connect to an existing cluster as an Orleans client (see <c>Oee:Cluster</c>).</summary>
    Client,
}

/// <summary>API settings, bound from <c>Oee:Api</c> and checked at start.</summary>
public sealed class OeeApiOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Oee:Api";

    /// <summary>Embedded silo or cluster client. Default <see cref="OeeApiMode.Embedded"/>.</summary>
    public OeeApiMode Mode { get; set; } = OeeApiMode.Embedded;

    /// <summary>How long <c>/health</c> waits for the cluster's answer before reporting it unhealthy. Default 5 s.</summary>
    public TimeSpan HealthCheckTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Serve the Orleans dashboard under <c>/orleans</c>. Default false. It shows every grain and silo
    /// and has no access control of its own: only behind a trusted network or an authenticating proxy.
    /// In client mode the silos need <c>Oee:Silo:OrleansDashboard</c> too.
    /// </summary>
    public bool OrleansDashboard { get; set; }
}

/// <summary>Checks <see cref="OeeApiOptions"/>.</summary>
internal sealed class OeeApiOptionsValidator : IValidateOptions<OeeApiOptions>
{
    public ValidateOptionsResult Validate(string? name, OeeApiOptions options)
    {
        var failures = new List<string>();
        if (!Enum.IsDefined(options.Mode))
        {
            failures.Add($"Oee:Api:Mode must be Embedded or Client (was {options.Mode}).");
        }

        if (options.HealthCheckTimeout < TimeSpan.FromMilliseconds(100) || options.HealthCheckTimeout > TimeSpan.FromMinutes(1))
        {
            failures.Add($"Oee:Api:HealthCheckTimeout must be from 00:00:00.1 to 00:01:00 (was {options.HealthCheckTimeout:c}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
