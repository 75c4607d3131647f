namespace Oee.Grains.Queues;

/// <summary>A queue's small entry for one task: never the payload.</summary>
/// <param name="TaskId">The task id.</param>
/// <param name="Priority">0–10, higher first.</param>
/// <param name="Sequence">The per-queue submit order, lower first.</param>
/// <param name="DueAt">A scheduled task's due time (<see cref="DueEntries"/>); null for a task that is ready.</param>
[GenerateSerializer, Immutable, Alias("oee.queue-entry")]
internal readonly record struct QueueEntry(
    [property: Id(0)] string TaskId,
    [property: Id(1)] int Priority,
    [property: Id(2)] long Sequence,
    [property: Id(20)] DateTimeOffset? DueAt = null);

/// <summary>The one total order of a queue: priority desc, then sequence asc, then id.</summary>
internal sealed class QueueEntryOrder : IComparer<QueueEntry>
{
    /// <summary>The shared instance.</summary>
    public static QueueEntryOrder Instance { get; } = new();

    /// <inheritdoc />
    public int Compare(QueueEntry x, QueueEntry y)
    {
        var byPriority = y.Priority.CompareTo(x.Priority);
        if (byPriority != 0)
        {
            return byPriority;
        }

        var bySequence = x.Sequence.CompareTo(y.Sequence);
        return bySequence != 0 ? bySequence : string.CompareOrdinal(x.TaskId, y.TaskId);
    }
}
