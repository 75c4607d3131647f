using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Oee.Grains.Tasks;
using Orleans.Configuration;
using Orleans.Metadata;
using Orleans.Runtime.GrainDirectory;

namespace Oee.Grains.Cluster.DirectoryCache;

/// <summary>Puts <see cref="TaskAddressSkippingCache"/> in place of the directory cache Orleans makes for a silo.</summary>
internal static class DirectoryCacheServices
{
    /// <summary>
    /// Orleans takes the silo's directory cache from the services when the caching strategy is
    /// <see cref="GrainDirectoryOptions.CachingStrategyType.Custom"/>: OEE's wraps the LRU cache Orleans would have
    /// made itself, of the configured size and time to live. A host that turned the cache off
    /// (<see cref="GrainDirectoryOptions.CachingStrategyType.None"/>) or brings its own keeps that. Each of Orleans'
    /// users of the cache (the classic directory, and the locator of the distributed one) gets a cache of its own, as
    /// with Orleans' LRU strategy.
    /// </summary>
    public static void AddOeeDirectoryCache(this IServiceCollection services)
    {
        services.Configure<GrainDirectoryOptions>(o =>
        {
            if (o.CachingStrategy is not (GrainDirectoryOptions.CachingStrategyType.None or GrainDirectoryOptions.CachingStrategyType.Custom))
            {
                o.CachingStrategy = GrainDirectoryOptions.CachingStrategyType.Custom;
            }
        });
        services.TryAddTransient<IGrainDirectoryCache>(sp =>
        {
            var configured = sp.GetRequiredService<IOptions<GrainDirectoryOptions>>().Value;
            var lru = new GrainDirectoryOptions
            {
                CachingStrategy = GrainDirectoryOptions.CachingStrategyType.LRU,
                CacheSize = configured.CacheSize,
                MaximumCacheTTL = configured.MaximumCacheTTL,
            };
            var taskGrainType = sp.GetRequiredService<GrainTypeResolver>().GetGrainType(typeof(TaskGrain));
            return new TaskAddressSkippingCache(GrainDirectoryCacheFactory.CreateGrainDirectoryCache(sp, lru), taskGrainType);
        });
    }
}
