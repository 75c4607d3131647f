using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Oee.Grains.Time;

namespace Oee.Grains.Client;

/// <summary>Registers <see cref="IOrchestrator"/>.</summary>
public static class OrchestratorServiceCollectionExtensions
{
    /// <summary>Adds <see cref="IOrchestrator"/> over the host's <see cref="IGrainFactory"/>. Safe to call twice.</summary>
    public static IServiceCollection AddOeeOrchestrator(this IServiceCollection services)
    {
        // In a silo the engine's clock (timestamps the index compares with); in a client the host's.
        // Orleans' cluster errors reach callers as OEE's typed faults.
        services.TryAddSingleton(sp => Create(
            sp.GetRequiredService<IGrainFactory>(),
            sp.GetKeyedService<TimeProvider>(OeeClock.ServiceKey) ?? sp.GetService<TimeProvider>() ?? TimeProvider.System));
        Events.EventServices.AddOeeEventFeed(services);
        return services;
    }

    /// <summary>
    /// The orchestrator callers get (and tests use): <see cref="Orchestrator"/> behind
    /// <see cref="Errors.FaultTranslatingOrchestrator"/> (typed faults, rejected calls sent again).
    /// </summary>
    internal static IOrchestrator Create(IGrainFactory grains, TimeProvider time) =>
        new Errors.FaultTranslatingOrchestrator(new Orchestrator(grains, time));
}
