using Oee.Grains.Cluster;
using Oee.Grains.Tasks;

namespace Oee.Grains.Workers;

/// <summary>Reads the results of a task's done dependencies for its body's <see cref="Handlers.TaskContext"/>.</summary>
internal static class DependencyResultReader
{
    private const int Parallelism = 32;

    /// <summary>Each dependency that ended done and its result (JSON text or null); others are left out.</summary>
    public static async Task<Dictionary<string, string?>> Read(IGrainFactory grains, string[] dependsOn, CancellationToken cancellationToken)
    {
        var results = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var chunk in dependsOn.Chunk(Parallelism))
        {
            var done = await Task.WhenAll(chunk.Select(id => grains.Reference<ITaskEngineGrain>(id).GetDoneResult(cancellationToken)));
            for (var i = 0; i < chunk.Length; i++)
            {
                if (done[i] is { } result)
                {
                    results[chunk[i]] = result.Result;
                }
            }
        }

        return results;
    }
}
