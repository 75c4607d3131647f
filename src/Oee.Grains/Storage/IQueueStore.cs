using Oee.Grains.Queues;

namespace Oee.Grains.Storage;

/// <summary>What a queue finds in its store when it activates.</summary>
/// <param name="Entries">The unfinished tasks' entries, in no particular order.</param>
/// <param name="NextSequence">The sequence number the next task gets.</param>
internal sealed record QueueSnapshot(IReadOnlyList<QueueEntry> Entries, long NextSequence);

/// <summary>
/// A queue's incremental durable form: one small row per unfinished task, written in batches; a
/// change never rewrites the backlog.
/// </summary>
internal interface IQueueStore
{
    /// <summary>False in memory mode: the queue keeps its order in its activation only.</summary>
    bool IsDurable { get; }

    Task<QueueSnapshot> Load(string queue, CancellationToken cancellationToken);

    /// <summary>Writes one batch atomically: entries added (or re-placed), entries removed, and the next sequence number.</summary>
    Task Write(string queue, IReadOnlyCollection<QueueEntry> upserts, IReadOnlyCollection<string> deletes, long nextSequence);
}
