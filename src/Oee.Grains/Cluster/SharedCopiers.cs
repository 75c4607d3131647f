using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Serialization.Cloning;
using Orleans.Serialization.Codecs;

namespace Oee.Grains.Cluster;

/// <summary>
/// One instance of each deep copier Orleans generated for OEE's contracts, in the service container.
/// Each grain reference Orleans builds (a new one per task: the client's <c>ITaskGrain</c> for every
/// submit) asks the container for the copiers of its methods' arguments, and when the container has
/// none it builds a fresh tree of them by reflection (<c>ActivatorUtilities.CreateInstance</c>): a
/// profile of the in-process drain found that among the top costs of a submit. The copiers are stateless
/// (Orleans' codec provider shares one of each as well), so one of each serves every reference.
/// </summary>
internal static class SharedCopiers
{
    /// <summary>Registers the generated copiers of this assembly as singletons (built as Orleans builds them); safe to call twice.</summary>
    public static IServiceCollection AddOeeSharedCopiers(this IServiceCollection services)
    {
        foreach (var type in GeneratedCopiers())
        {
            services.TryAddSingleton(type, sp => ActivatorUtilities.CreateInstance(sp, type));
        }

        // The collections the contracts' methods take (a string[] of task ids, a List<T>, a Dictionary<K, V>):
        // closed over any element type, each built from the element copiers the container already serves.
        services.TryAddSingleton(typeof(ArrayCopier<>));
        services.TryAddSingleton(typeof(ListCopier<>));
        services.TryAddSingleton(typeof(DictionaryCopier<,>));

        return services;
    }

    /// <summary>The copiers Orleans' source generator wrote for this assembly's types (closed, top-level, in its code-gen namespace).</summary>
    internal static IEnumerable<Type> GeneratedCopiers() =>
        typeof(SharedCopiers).Assembly.GetTypes().Where(t =>
            t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false, IsNested: false }
            && t.Namespace?.StartsWith("OrleansCodeGen.", StringComparison.Ordinal) == true
            && t.Name.StartsWith("Copier_", StringComparison.Ordinal)
            && t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDeepCopier<>)));
}
