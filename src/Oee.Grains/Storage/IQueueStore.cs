using Oee.Grains.Queues;

namespace Oee.Grains.Storage;

/// <summary>What a queue finds in its store when it activates.</summary>
/// <param name="Entries">The unfinished tasks' entries, in no particular order.</param>
/// <param name="NextSequence">The sequence number the next task gets.</param>
internal sealed record QueueSnapshot(IReadOnlyList<QueueEntry> Entries, long NextSequence)
{
    /// <summary>
    /// The entries whose task was running when the queue loaded (per the task index): they hold their places in the
    /// queue's limits from the start, so that a queue re-activated elsewhere does not start waiting tasks beside them past
    /// its <c>maxConcurrency</c> or <c>maxPerKey</c>. Its lease check then confirms each (one that has ended leaves).
    /// </summary>
    public IReadOnlySet<string> Running { get; init; } = new HashSet<string>();
}

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
