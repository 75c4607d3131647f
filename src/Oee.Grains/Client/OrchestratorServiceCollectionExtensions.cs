using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Oee.Grains.Client;

/// <summary>Registers <see cref="IOrchestrator"/>.</summary>
public static class OrchestratorServiceCollectionExtensions
{
    /// <summary>Adds <see cref="IOrchestrator"/> over the host's <see cref="IGrainFactory"/>. Safe to call twice.</summary>
    public static IServiceCollection AddOeeOrchestrator(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IOrchestrator>(sp => new Errors.FaultTranslatingOrchestrator(ActivatorUtilities.CreateInstance<Orchestrator>(sp)));
        return services;
    }
}
