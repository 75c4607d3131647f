using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Oee.Grains.Cluster.DirectoryCache;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Runtime.GrainDirectory;

namespace Oee.Grains.Tests.Cluster.DirectoryCache;

/// <summary>OEE's directory cache over Orleans' own LRU cache: every grain's address but a task grain's.</summary>
public sealed class TaskAddressSkippingCacheTests : IAsyncDisposable
{
    private static readonly GrainType TaskType = GrainType.Create("task");
    private static readonly SiloAddress SiloA = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11111), 1);
    private static readonly SiloAddress SiloB = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11112), 2);

    private readonly ServiceProvider services = new ServiceCollection().BuildServiceProvider();
    private readonly IGrainDirectoryCache orleans;
    private readonly TaskAddressSkippingCache cache;

    public TaskAddressSkippingCacheTests()
    {
        orleans = GrainDirectoryCacheFactory.CreateGrainDirectoryCache(services, new GrainDirectoryOptions { CacheSize = 100 });
        cache = new TaskAddressSkippingCache(orleans, TaskType);
    }

    [Fact]
    public void A_task_grains_address_is_neither_kept_nor_found()
    {
        var task = Address("task", "t-1", SiloA);

        cache.AddOrUpdate(task, version: 3);

        Assert.False(cache.LookUp(task.GrainId, out var found, out var version));
        Assert.Null(found);
        Assert.Equal(0, version);
        Assert.Empty(orleans.KeyValues);
        Assert.False(cache.Remove(task.GrainId));
        Assert.False(cache.Remove(task));
    }

    [Fact]
    public void Another_grains_address_is_kept_with_its_version_and_updated()
    {
        var queue = Address("queue", "default", SiloA);

        cache.AddOrUpdate(queue, version: 3);
        Assert.True(cache.LookUp(queue.GrainId, out var found, out var version));
        Assert.Equal(queue, found);
        Assert.Equal(3, version);

        var moved = Address("queue", "default", SiloB);
        cache.AddOrUpdate(moved, version: 4);
        Assert.True(cache.LookUp(queue.GrainId, out found, out version));
        Assert.Equal(SiloB, found!.SiloAddress);
        Assert.Equal(4, version);
        Assert.Equal([(moved, 4)], cache.KeyValues);
    }

    [Fact]
    public void Another_grains_address_is_removed_by_id_or_only_by_its_own_address()
    {
        var queue = Address("queue", "default", SiloA);
        var shard = Address("shard", "7", SiloA);
        cache.AddOrUpdate(queue, 1);
        cache.AddOrUpdate(shard, 1);

        // An address of the same grain on another silo is not the one cached: nothing is removed.
        Assert.False(cache.Remove(Address("queue", "default", SiloB)));
        Assert.True(cache.Remove(queue));
        Assert.False(cache.LookUp(queue.GrainId, out _, out _));

        Assert.True(cache.Remove(shard.GrainId));
        Assert.Empty(cache.KeyValues);
    }

    [Fact]
    public void Removing_a_task_grains_address_leaves_the_others()
    {
        var queue = Address("queue", "default", SiloA);
        cache.AddOrUpdate(queue, 1);

        Assert.False(cache.Remove(GrainId.Create(TaskType, "t-1")));

        Assert.True(cache.LookUp(queue.GrainId, out _, out _));
    }

    [Fact]
    public void Clear_empties_Orleans_cache()
    {
        cache.AddOrUpdate(Address("queue", "a", SiloA), 1);
        cache.AddOrUpdate(Address("queue", "b", SiloB), 1);

        cache.Clear();

        Assert.Empty(orleans.KeyValues);
    }

    public async ValueTask DisposeAsync()
    {
        await cache.DisposeAsync();
        await services.DisposeAsync();
    }

    private static GrainAddress Address(string type, string key, SiloAddress silo) =>
        new() { GrainId = GrainId.Create(type, key), SiloAddress = silo, ActivationId = ActivationId.NewId() };
}
