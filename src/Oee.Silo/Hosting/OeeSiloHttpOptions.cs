using System.Net;
using Microsoft.Extensions.Options;
using Oee.Grains.Configuration;

namespace Oee.Silo.Hosting;

/// <summary>The silo's small HTTP endpoint (health, metrics), bound from <c>Oee:Silo</c> and checked at start.</summary>
public sealed class OeeSiloHttpOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Oee:Silo";

    /// <summary>
    /// The port of <c>/health/live</c>, <c>/health/ready</c> and <c>/metrics</c>; 0 turns the endpoint
    /// off. Default 0: several silos on one machine would otherwise collide on one port, so each
    /// deployment names its own (the Docker Compose file uses 8080 in every silo container).
    /// </summary>
    public int HttpPort { get; set; }

    /// <summary>The address the endpoint listens on: an IP address, or <c>*</c> for all. Default <c>127.0.0.1</c>.</summary>
    public string HttpAddress { get; set; } = "127.0.0.1";

    /// <summary>How long <c>/health/ready</c> waits for the database's answer before reporting it unready. Default 5 s.</summary>
    public TimeSpan HealthCheckTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Collect the Orleans dashboard's grain statistics on this silo, for an API in client mode that
    /// shows the dashboard (<c>Oee:Api:OrleansDashboard</c>). Costs a filter on every grain call. Default false.
    /// </summary>
    public bool OrleansDashboard { get; set; }

    /// <summary>True when the endpoint is on.</summary>
    public bool Enabled => HttpPort != 0;

    /// <summary>The address to listen on.</summary>
    public IPAddress ListenAddress => HttpAddress == "*" ? IPAddress.Any : IPAddress.Parse(HttpAddress);

    /// <summary>Reads and checks the section; throws naming each bad setting.</summary>
    public static OeeSiloHttpOptions Read(IConfiguration configuration) =>
        OeeSettings.Read(configuration, SectionName, new OeeSiloHttpOptionsValidator());
}

/// <summary>Checks <see cref="OeeSiloHttpOptions"/>.</summary>
internal sealed class OeeSiloHttpOptionsValidator : IValidateOptions<OeeSiloHttpOptions>
{
    public ValidateOptionsResult Validate(string? name, OeeSiloHttpOptions options)
    {
        var failures = new List<string>();
        if (options.HttpPort is < 0 or > 65535)
        {
            failures.Add($"Oee:Silo:HttpPort must be from 0 (off) to 65535 (was {options.HttpPort}).");
        }

        if (options.HttpAddress != "*" && !IPAddress.TryParse(options.HttpAddress, out _))
        {
            failures.Add($"Oee:Silo:HttpAddress must be an IP address such as 127.0.0.1 or 0.0.0.0, or * for all (was '{options.HttpAddress}').");
        }

        if (options.HealthCheckTimeout < TimeSpan.FromMilliseconds(100) || options.HealthCheckTimeout > TimeSpan.FromMinutes(1))
        {
            failures.Add($"Oee:Silo:HealthCheckTimeout must be from 00:00:00.1 to 00:01:00 (was {options.HealthCheckTimeout:c}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
