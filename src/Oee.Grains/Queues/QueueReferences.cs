using System.Collections.Concurrent;
using Oee.Grains.Cluster;

namespace Oee.Grains.Queues;

/// <summary>
/// This silo's references to the queues' engine interface, one per queue name, reused: every task
/// sends its queue a message or two, and a new reference per message costs a proxy with its copiers
/// (the profile of the in-process drain showed that next to the message itself). A reference holds no
/// state of the queue and reaches whichever activation the directory gives, so reusing it is safe.
/// Bounded: past <see cref="MaxCached"/> names the cache starts afresh.
/// </summary>
internal sealed class QueueReferences(IGrainFactory grains)
{
    private const int MaxCached = 10_000;

    private readonly ConcurrentDictionary<string, IQueueEngineGrain> references = new(StringComparer.Ordinal);

    /// <summary>The engine interface of the queue <paramref name="name"/>.</summary>
    public IQueueEngineGrain Of(string name)
    {
        if (references.TryGetValue(name, out var reference))
        {
            return reference;
        }

        if (references.Count >= MaxCached)
        {
            references.Clear();
        }

        return references.GetOrAdd(name, grains.Reference<IQueueEngineGrain>(name));
    }
}
