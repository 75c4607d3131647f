namespace Oee.Api.Hosting;

/// <summary>Where the API's grains live.</summary>
public enum OeeApiMode
{
    /// <summary>Host a silo inside the API process (memory storage, localhost clustering). The default.</summary>
    Embedded,

    /// <summary>Connect to an existing cluster as an Orleans client (see <c>Oee:Cluster</c>).</summary>
    Client,
}

/// <summary>API settings, bound from <c>Oee:Api</c>.</summary>
public sealed class OeeApiOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Oee:Api";

    /// <summary>Embedded silo or cluster client. Default <see cref="OeeApiMode.Embedded"/>.</summary>
    public OeeApiMode Mode { get; set; } = OeeApiMode.Embedded;
}
