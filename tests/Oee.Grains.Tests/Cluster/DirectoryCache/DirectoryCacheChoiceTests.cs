using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Oee.Grains.Cluster.DirectoryCache;
using Oee.Grains.Hosting;
using Oee.Grains.Tasks;
using Orleans.Configuration;
using Orleans.Metadata;
using Orleans.Runtime;
using Orleans.Runtime.GrainDirectory;

namespace Oee.Grains.Tests.Cluster.DirectoryCache;

/// <summary>Which directory cache a silo built by <c>AddOee</c> gives Orleans (the host is built, not started).</summary>
public sealed class DirectoryCacheChoiceTests
{
    private static readonly SiloAddress Silo = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11111), 1);

    [Fact]
    public void A_silo_gives_Orleans_OEEs_cache_of_the_capped_size_by_default()
    {
        using var host = SiloHost(("Oee:Cluster:CacheTaskAddresses", null));

        Assert.Equal(GrainDirectoryOptions.CachingStrategyType.Custom, host.Services.GetRequiredService<IOptions<GrainDirectoryOptions>>().Value.CachingStrategy);
        var cache = Assert.IsType<TaskAddressSkippingCache>(host.Services.GetRequiredService<IGrainDirectoryCache>());

        // Orleans' LRU cache inside keeps at most the capped number of other grains' addresses, and no task's.
        for (var i = 0; i < OeeSiloBuilderExtensions.DirectoryCacheSize + 500; i++)
        {
            cache.AddOrUpdate(new GrainAddress { GrainId = GrainId.Create("queue", $"q{i}"), SiloAddress = Silo, ActivationId = ActivationId.NewId() }, 1);
        }

        var taskType = host.Services.GetRequiredService<GrainTypeResolver>().GetGrainType(typeof(TaskGrain));
        cache.AddOrUpdate(new GrainAddress { GrainId = GrainId.Create(taskType, "t-1"), SiloAddress = Silo, ActivationId = ActivationId.NewId() }, 1);
        var kept = cache.KeyValues.Select(e => e.ActivationAddress.GrainId).ToList();
        Assert.InRange(kept.Count, 1, OeeSiloBuilderExtensions.DirectoryCacheSize);
        Assert.DoesNotContain(kept, id => id.Type.Equals(taskType));
    }

    [Fact]
    public void Both_of_Orleans_users_of_the_cache_take_one_of_OEEs_each()
    {
        using var host = SiloHost(("Oee:Cluster:GrainDirectory", "Distributed"));

        // The classic directory and the locator of the distributed one.
        var (directoryCache, locatorCache) = OrleansDirectoryCaches.Of(host.Services);

        Assert.IsType<TaskAddressSkippingCache>(directoryCache);
        Assert.IsType<TaskAddressSkippingCache>(locatorCache);
        Assert.NotSame(directoryCache, locatorCache);
    }

    [Fact]
    public void The_setting_leaves_Orleans_its_own_cache_of_every_address()
    {
        using var host = SiloHost(("Oee:Cluster:CacheTaskAddresses", "true"));

        var options = host.Services.GetRequiredService<IOptions<GrainDirectoryOptions>>().Value;
        Assert.Equal(GrainDirectoryOptions.CachingStrategyType.LRU, options.CachingStrategy);
        Assert.Equal(OeeSiloBuilderExtensions.DirectoryCacheSize, options.CacheSize);
        Assert.Null(host.Services.GetService<IGrainDirectoryCache>());
    }

    [Fact]
    public void A_host_that_turned_Orleans_cache_off_keeps_it_off()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.Configure<GrainDirectoryOptions>(o => o.CachingStrategy = GrainDirectoryOptions.CachingStrategyType.None);
        builder.UseOrleans(silo => silo.AddOee(new ConfigurationBuilder().Build()));
        using var host = builder.Build();

        Assert.Equal(GrainDirectoryOptions.CachingStrategyType.None, host.Services.GetRequiredService<IOptions<GrainDirectoryOptions>>().Value.CachingStrategy);
    }

    private static IHost SiloHost((string Key, string? Value) setting)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [setting.Key] = setting.Value }).Build();
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleans(silo => silo.AddOee(configuration));
        return builder.Build();
    }
}
