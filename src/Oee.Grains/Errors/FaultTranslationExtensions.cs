using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Serialization.Serializers;

namespace Oee.Grains.Errors;

/// <summary>Registers OEE's fault translation on a silo.</summary>
internal static class FaultTranslationExtensions
{
    /// <summary>
    /// Adds the grain call filter that turns exceptions leaving OEE's grains into OEE's faults, and
    /// the codec that writes any exception Orleans cannot serialize as one. Safe to call twice.
    /// </summary>
    public static ISiloBuilder AddOeeFaultTranslation(this ISiloBuilder silo)
    {
        if (silo.Services.Any(d => d.ServiceType == typeof(FaultTranslationMarker)))
        {
            return silo;
        }

        silo.Services.AddSingleton<FaultTranslationMarker>();
        silo.AddIncomingGrainCallFilter<FaultTranslationFilter>();
        silo.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IGeneralizedCodec, ForeignExceptionCodec>());
        return silo;
    }

    private sealed class FaultTranslationMarker;
}
