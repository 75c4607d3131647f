using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Oee.Tests.Shared;

namespace Oee.Api.Tests;

/// <summary>The settings every test API host shares: its embedded silo on free loopback ports, a cluster of its own.</summary>
public static class ApiHostSettings
{
    public static IWebHostBuilder UseOwnLoopbackSilo(this IWebHostBuilder builder, string clusterName, string urls = "http://127.0.0.1:0")
    {
        var siloPort = LoopbackPorts.Next().ToString(CultureInfo.InvariantCulture);
        builder.UseSetting("Oee:Cluster:SiloPort", siloPort);
        builder.UseSetting("Oee:Cluster:PrimarySiloPort", siloPort);
        builder.UseSetting("Oee:Cluster:GatewayPort", LoopbackPorts.Next().ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Oee:Cluster:ClusterId", $"{clusterName}-{Guid.NewGuid():N}");
        builder.UseSetting("Urls", urls);
        return builder;
    }
}
