using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Oee.Grains.Client;
using Oee.Grains.Cluster;
using Oee.Grains.Configuration;

namespace Oee.Grains.Hosting;

/// <summary>Set-up of an external Orleans client of an OEE cluster.</summary>
public static class OeeClientBuilderExtensions
{
    /// <summary>Connects per <c>Oee:Cluster</c> (localhost gateways, or PostgreSQL membership; mutual TLS per <c>Oee:Cluster:Tls</c>), registers <see cref="IOrchestrator"/>, the client's start-up warm-up (<c>Oee:ClientWarmUp</c>) and OEE's default log levels (see the README's Configuration). Safe to call twice.</summary>
    public static IClientBuilder AddOeeClient(this IClientBuilder client, IConfiguration configuration)
    {
        // Once only: a second call would add a second TLS layer to every connection (never connecting) and clustering twice.
        if (client.Services.Any(d => d.ServiceType == typeof(OeeClientMarker)))
        {
            return client;
        }

        client.Services.AddSingleton<OeeClientMarker>();
        var cluster = OeeClusterOptions.Read(configuration);
        var postgres = OeePostgresOptions.Read(configuration);
        switch (cluster.Mode)
        {
            case OeeClusterMode.Localhost:
                client.UseLocalhostClustering(cluster.GatewayPorts, cluster.ServiceId, cluster.ClusterId);
                break;
            case OeeClusterMode.PostgreSql:
                client.Configure<Orleans.Configuration.ClusterOptions>(o =>
                {
                    o.ClusterId = cluster.ClusterId;
                    o.ServiceId = cluster.ServiceId;
                });
                client.UseAdoNetClustering(o =>
                {
                    o.Invariant = OeeSiloBuilderExtensions.NpgsqlInvariant;
                    o.ConnectionString = postgres.ConnectionString;
                });
                break;
        }

        // After Orleans' client in the host's start order: it runs once the client is connected (Oee:ClientWarmUp).
        client.Services.AddHostedService<WarmUp.ClientWarmUp>();
        if (OeeTelemetryOptions.Read(configuration).TracesExported(configuration))
        {
            client.AddActivityPropagation();
        }

        ClusterTls.Apply(client, configuration);
        OeeLogDefaults.Add(client.Services);
        client.Services.AddOeeSharedCopiers();
        client.Services.AddValidatedOptions<OeeEventOptions, OeeEventOptionsValidator>(configuration, OeeEventOptions.SectionName);
        client.Services.AddValidatedOptions<OeeClientWarmUpOptions, OeeClientWarmUpOptionsValidator>(configuration, OeeClientWarmUpOptions.SectionName);
        client.Services.AddOeeOrchestrator();
        return client;
    }

    private sealed class OeeClientMarker;
}
