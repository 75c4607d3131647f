using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace Oee.Grains.Tests.Cluster.DirectoryCache;

/// <summary>
/// The caches Orleans' two users of a directory cache on one silo took when the silo was built: the classic
/// directory's (<c>LocalGrainDirectory.DirectoryCache</c>) and that of the locator serving grains of any other
/// directory (<c>CachedGrainLocator.cache</c>; in the in-process test cluster, every grain). Internal members of
/// internal types: this fails if an Orleans upgrade takes its caches some other way.
/// </summary>
internal static class OrleansDirectoryCaches
{
    public static (object? Directory, object? Locator) Of(IServiceProvider silo)
    {
        var runtime = typeof(Orleans.Hosting.SiloBuilderExtensions).Assembly;
        var directoryType = runtime.GetType("Orleans.Runtime.GrainDirectory.LocalGrainDirectory", throwOnError: true)!;
        var locatorType = runtime.GetType("Orleans.Runtime.GrainDirectory.CachedGrainLocator", throwOnError: true)!;
        var directory = directoryType.GetProperty("DirectoryCache", BindingFlags.NonPublic | BindingFlags.Instance)!
            .GetValue(silo.GetRequiredService(directoryType));
        var locator = locatorType.GetField("cache", BindingFlags.NonPublic | BindingFlags.Instance)!
            .GetValue(silo.GetRequiredService(locatorType));
        return (directory, locator);
    }
}
