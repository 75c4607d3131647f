using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Oee.Grains.Cluster.DirectoryCache;
using Oee.Grains.Hosting;
using Orleans.Configuration;
using Orleans.Runtime.GrainDirectory;

namespace Oee.Grains.Tests.Cluster.DirectoryCache;

/// <summary>Which directory cache a silo built by <c>AddOee</c> gives Orleans (the host is built, not started).</summary>
public sealed class DirectoryCacheChoiceTests
{
    [Fact]
    public void A_silo_gives_Orleans_OEEs_cache_by_default()
    {
        using var host = SiloHost(cacheTaskAddresses: null);

        Assert.Equal(GrainDirectoryOptions.CachingStrategyType.Custom, host.Services.GetRequiredService<IOptions<GrainDirectoryOptions>>().Value.CachingStrategy);
        var cache = Assert.IsType<TaskAddressSkippingCache>(host.Services.GetRequiredService<IGrainDirectoryCache>());
        Assert.NotNull(cache.Inner);
    }

    [Fact]
    public void The_setting_leaves_Orleans_its_own_cache_of_every_address()
    {
        using var host = SiloHost(cacheTaskAddresses: "true");

        var options = host.Services.GetRequiredService<IOptions<GrainDirectoryOptions>>().Value;
        Assert.Equal(GrainDirectoryOptions.CachingStrategyType.LRU, options.CachingStrategy);
        Assert.Equal(OeeSiloBuilderExtensions.DirectoryCacheSize, options.CacheSize);
        Assert.Null(host.Services.GetService<IGrainDirectoryCache>());
    }

    private static IHost SiloHost(string? cacheTaskAddresses)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Oee:Cluster:CacheTaskAddresses"] = cacheTaskAddresses,
        }).Build();
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleans(silo => silo.AddOee(configuration));
        return builder.Build();
    }
}
