using Microsoft.Extensions.Configuration;
using Oee.Grains.Client;

namespace Oee.Grains.Hosting;

/// <summary>Set-up of an external Orleans client of an OEE cluster.</summary>
public static class OeeClientBuilderExtensions
{
    /// <summary>Connects per <c>Oee:Cluster</c> and registers <see cref="IOrchestrator"/>. Safe to call twice.</summary>
    public static IClientBuilder AddOeeClient(this IClientBuilder client, IConfiguration configuration)
    {
        var cluster = OeeClusterOptions.Read(configuration);
        if (cluster.Mode == OeeClusterMode.Localhost)
        {
            client.UseLocalhostClustering(cluster.GatewayPorts, cluster.ServiceId, cluster.ClusterId);
        }

        client.Services.AddOeeOrchestrator();
        return client;
    }
}
