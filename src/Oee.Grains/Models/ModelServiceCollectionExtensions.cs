using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Oee.Grains.Configuration;
using Oee.Grains.Handlers;
using Oee.Grains.Handlers.BuiltIn;

namespace Oee.Grains.Models;

/// <summary>Registers the model catalog (validated at start), the model caller and the <c>model</c> task handler.</summary>
internal static class ModelServiceCollectionExtensions
{
    /// <summary>Safe to call twice.</summary>
    public static IServiceCollection AddOeeModels(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(ModelCatalog)))
        {
            return services;
        }

        services.AddValidatedOptions<OeeModelCatalogOptions, OeeModelCatalogOptionsValidator>(configuration, OeeModelCatalogOptions.SectionName);
        services.TryAddKeyedSingleton(Time.OeeClock.ServiceKey, TimeProvider.System);
        services.TryAddSingleton<TaskHandlerRegistry>();
        services.TryAddSingleton<ModelCatalog>();
        services.TryAddSingleton<IModelCatalog>(sp => sp.GetRequiredService<ModelCatalog>());
        services.TryAddSingleton<BuiltInModelRunner>();
        services.TryAddSingleton<HandlerModelRunner>();
        services.TryAddSingleton<OpenAiModelClient>();
        services.TryAddSingleton<IModelCaller, ModelCaller>();
        services.AddHttpClient();
        ModelHttpClients.Register(services, configuration);
        services.AddTaskHandler<ModelHandler>(ModelHandler.Name);
        return services;
    }
}
