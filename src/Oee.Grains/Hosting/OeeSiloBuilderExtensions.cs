using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Oee.Grains.Catalog;
using Oee.Grains.Client;
using Oee.Grains.Cluster;
using Oee.Grains.Handlers;
using Oee.Grains.Handlers.BuiltIn;
using Oee.Grains.Workers;

namespace Oee.Grains.Hosting;

/// <summary>The whole silo set-up of OEE, shared by Oee.Silo, the API's embedded mode and the tests.</summary>
public static class OeeSiloBuilderExtensions
{
    /// <summary>
    /// Configures clustering (per <c>Oee:Cluster</c>), storage, placement, the built-in handlers
    /// and the engine's services; options are validated at start. Safe to call twice.
    /// </summary>
    public static ISiloBuilder AddOee(this ISiloBuilder silo, IConfiguration configuration)
    {
        if (silo.Services.Any(d => d.ServiceType == typeof(OeeSiloMarker)))
        {
            return silo;
        }

        silo.Services.AddSingleton<OeeSiloMarker>();
        var cluster = OeeClusterOptions.Read(configuration);
        if (cluster.Mode == OeeClusterMode.Localhost)
        {
            silo.UseLocalhostClustering(
                cluster.SiloPort,
                cluster.GatewayPort,
                new IPEndPoint(IPAddress.Loopback, cluster.PrimarySiloPort),
                cluster.ServiceId,
                cluster.ClusterId);
        }

        silo.AddMemoryGrainStorage(OeeStorage.Name);
        silo.AddPlacementDirector<SiloTargetedPlacement, SiloTargetedPlacementDirector>();

        var services = silo.Services;
        services.AddOptions<OeeOptions>().Bind(configuration.GetSection(OeeOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OeeOptions>, OeeOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<WorkerSlots>();
        services.TryAddSingleton<TaskHandlerRegistry>();
        services.TryAddSingleton<ITaskCatalog, GrainTaskCatalog>();
        services.AddTaskHandler<EchoHandler>(EchoHandler.Name);
        services.AddTaskHandler<DelayHandler>(DelayHandler.Name);
        services.AddTaskHandler<FailHandler>(FailHandler.Name);
        services.AddOeeOrchestrator();
        return silo;
    }

    private sealed class OeeSiloMarker;
}
