using Oee.Grains.Queues;

namespace Oee.Grains.Storage.Memory;

/// <summary>Memory mode: nothing is stored.</summary>
internal sealed class MemoryQueueStore : IQueueStore
{
    public bool IsDurable => false;

    public Task<QueueSnapshot> Load(string queue, CancellationToken cancellationToken) => Task.FromResult(new QueueSnapshot([], 0));

    public Task Write(string queue, IReadOnlyCollection<QueueEntry> upserts, IReadOnlyCollection<string> deletes, long nextSequence) => Task.CompletedTask;
}
