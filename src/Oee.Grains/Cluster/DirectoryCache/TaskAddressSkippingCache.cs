using System.Diagnostics.CodeAnalysis;
using Orleans.Runtime;
using Orleans.Runtime.GrainDirectory;

namespace Oee.Grains.Cluster.DirectoryCache;

/// <summary>
/// Orleans' directory cache of a silo, without the addresses of task grains: every other grain's address goes to
/// Orleans' own cache (<paramref name="inner"/>). Every placement and every registration of a task inserted its
/// address, and every message to a task looked it up: 5.3 % of an in-process drain's CPU samples went to that cache,
/// 0.8 % with task addresses left out (docs/BENCHMARKS.md, session 17). What read a cached task address again was a
/// later call to the running task (a <c>Get</c> or <c>Cancel</c>, its queue's dispatch and lease check, a parent's
/// cancel, a dependency's notice) from a silo that had placed, registered or looked it up; under load the 10,000
/// addresses the cache holds had let it go within a second anyway. Such a call is still delivered: a silo that finds no
/// cached address asks the grain directory (on one silo a look-up in memory, on several a call to the silo that holds
/// that part of the directory), as it does for any grain its cache has let go. Nor does the placing silo remember where
/// it has just placed a task: a second call to a task sent before its activation registered is placed again, and should
/// that pick another silo, Orleans' registration keeps one activation and the other forwards its calls to it.
/// </summary>
/// <param name="inner">Orleans' cache, which keeps every address but a task grain's.</param>
/// <param name="taskGrainType">The grain type whose addresses are never cached.</param>
internal sealed class TaskAddressSkippingCache(IGrainDirectoryCache inner, GrainType taskGrainType) : IGrainDirectoryCache, IAsyncDisposable, IDisposable
{
    public IEnumerable<(GrainAddress ActivationAddress, int Version)> KeyValues => inner.KeyValues;

    public void AddOrUpdate(GrainAddress value, int version)
    {
        if (!IsTask(value.GrainId))
        {
            inner.AddOrUpdate(value, version);
        }
    }

    public bool Remove(GrainId key) => !IsTask(key) && inner.Remove(key);

    public bool Remove(GrainAddress key) => !IsTask(key.GrainId) && inner.Remove(key);

    public void Clear() => inner.Clear();

    public bool LookUp(GrainId key, [NotNullWhen(true)] out GrainAddress? result, out int version)
    {
        if (IsTask(key))
        {
            result = null;
            version = 0;
            return false;
        }

        return inner.LookUp(key, out result, out version);
    }

    /// <summary>Disposes Orleans' cache (Orleans leaves a cache it takes from the services to them).</summary>
    public ValueTask DisposeAsync()
    {
        if (inner is IAsyncDisposable asyncDisposable)
        {
            return asyncDisposable.DisposeAsync();
        }

        (inner as IDisposable)?.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Disposes Orleans' cache when the services are disposed synchronously.</summary>
    public void Dispose()
    {
        if (inner is IDisposable disposable)
        {
            disposable.Dispose();
        }
        else if (inner is IAsyncDisposable asyncDisposable)
        {
            asyncDisposable.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private bool IsTask(GrainId id) => id.Type.Equals(taskGrainType);
}
