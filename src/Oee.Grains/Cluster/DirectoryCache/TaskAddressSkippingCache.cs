using System.Diagnostics.CodeAnalysis;
using Orleans.Runtime;
using Orleans.Runtime.GrainDirectory;

namespace Oee.Grains.Cluster.DirectoryCache;

/// <summary>
/// Orleans' directory cache of a silo, without the addresses of task grains: every other grain's address goes to
/// Orleans' own cache (<paramref name="inner"/>). A task grain lives for one short run and is then gone, so its
/// cached address is almost never read again (its queue, its worker and its index are the grains a task calls,
/// not the other way round) but every placement and registration of a task would insert one and every message
/// addressed to a task would look it up: 5.3 % of an in-process drain's CPU samples went to that cache, 0.8 % with
/// task addresses left out (docs/BENCHMARKS.md, session 17). A message to a live task grain is still delivered:
/// a silo that finds no cached address asks the grain directory, as it does for any grain its cache has let go.
/// </summary>
/// <param name="inner">Orleans' cache, which keeps every address but a task grain's.</param>
/// <param name="taskGrainType">The grain type whose addresses are never cached.</param>
internal sealed class TaskAddressSkippingCache(IGrainDirectoryCache inner, GrainType taskGrainType) : IGrainDirectoryCache, IAsyncDisposable
{
    /// <summary>The cache that holds every address but a task grain's.</summary>
    internal IGrainDirectoryCache Inner => inner;

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

    public ValueTask DisposeAsync() => inner switch
    {
        IAsyncDisposable asyncDisposable => asyncDisposable.DisposeAsync(),
        IDisposable disposable => Dispose(disposable),
        _ => ValueTask.CompletedTask,
    };

    private bool IsTask(GrainId id) => id.Type.Equals(taskGrainType);

    private static ValueTask Dispose(IDisposable disposable)
    {
        disposable.Dispose();
        return ValueTask.CompletedTask;
    }
}
