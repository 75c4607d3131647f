using System.Collections.Concurrent;
using Oee.Grains.Queues;

namespace Oee.Grains.Storage.Memory;

/// <summary>
/// Memory mode: no entry is stored; a queue keeps its entries, scheduled ones with their due times, in its activation
/// (kept alive while it holds any). What is kept here, in the silo's memory, is each queue's next sequence number when
/// its activation ends, so that a queue activated again on this silo goes on numbering where it stopped: a task that
/// reserved a number before (one waiting for its dependencies, a manual retry's original place) keeps its place among
/// the tasks submitted later, whose numbers would otherwise start again at 0.
/// </summary>
internal sealed class MemoryQueueStore : IQueueStore
{
    private readonly ConcurrentDictionary<string, long> nextSequences = new(StringComparer.Ordinal);

    public bool IsDurable => false;

    public Task<QueueSnapshot> Load(string queue, CancellationToken cancellationToken) =>
        Task.FromResult(new QueueSnapshot([], nextSequences.GetValueOrDefault(queue)));

    /// <summary>Keeps the queue's next sequence number (never lowered); entries are not stored.</summary>
    public Task Write(string queue, IReadOnlyCollection<QueueEntry> upserts, IReadOnlyCollection<string> deletes, long nextSequence)
    {
        nextSequences.AddOrUpdate(queue, nextSequence, (_, kept) => Math.Max(kept, nextSequence));
        return Task.CompletedTask;
    }
}
