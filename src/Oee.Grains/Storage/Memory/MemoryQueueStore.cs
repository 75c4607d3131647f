using Oee.Grains.Queues;

namespace Oee.Grains.Storage.Memory;

/// <summary>Memory mode: nothing is stored; a queue keeps its entries, scheduled ones with their due times, in its activation (kept alive while it holds any).</summary>
internal sealed class MemoryQueueStore : IQueueStore
{
    public bool IsDurable => false;

    public Task<QueueSnapshot> Load(string queue, CancellationToken cancellationToken) => Task.FromResult(new QueueSnapshot([], 0));

    public Task Write(string queue, IReadOnlyCollection<QueueEntry> upserts, IReadOnlyCollection<string> deletes, long nextSequence) => Task.CompletedTask;
}
