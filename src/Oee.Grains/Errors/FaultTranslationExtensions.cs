using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Serialization.Serializers;

namespace Oee.Grains.Errors;

/// <summary>Registers OEE's fault translation on a silo.</summary>
internal static class FaultTranslationExtensions
{
    /// <summary>
    /// Adds the codec that writes any exception Orleans cannot serialize as OEE's fault and, where a
    /// storage provider can fail (<paramref name="storageCanFail"/>: durable mode), the grain call
    /// filter that turns exceptions leaving OEE's grains into OEE's faults also for callers in the
    /// same silo. Memory storage cannot be unavailable, and any incoming filter costs every grain
    /// call an invoker (measured: docs/BENCHMARKS.md, "Renovation"), so memory mode goes without
    /// it. Safe to call twice.
    /// </summary>
    public static ISiloBuilder AddOeeFaultTranslation(this ISiloBuilder silo, bool storageCanFail)
    {
        if (silo.Services.Any(d => d.ServiceType == typeof(FaultTranslationMarker)))
        {
            return silo;
        }

        silo.Services.AddSingleton<FaultTranslationMarker>();
        if (storageCanFail)
        {
            silo.AddIncomingGrainCallFilter<FaultTranslationFilter>();
        }

        silo.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IGeneralizedCodec, ForeignExceptionCodec>());
        return silo;
    }

    private sealed class FaultTranslationMarker;
}
