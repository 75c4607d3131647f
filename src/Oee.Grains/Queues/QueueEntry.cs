namespace Oee.Grains.Queues;

/// <summary>A queue's small entry for one task: never the payload.</summary>
/// <param name="TaskId">The task id.</param>
/// <param name="Priority">0–10, higher first (the submitted priority; aging raises only the queue's view of it).</param>
/// <param name="Sequence">The per-queue submit order, lower first.</param>
/// <param name="ConcurrencyKey">The task's concurrency key (e.g. a tenant), or null: the queue's <c>maxPerKey</c> limits how many tasks of one key run at once.</param>
/// <param name="WaitingSince">When the task began waiting in this queue (engine clock); priority aging counts from here. A task handed back keeps it.</param>
/// <param name="DueAt">A scheduled task's due time (<see cref="DueEntries"/>); null for a task that is ready.</param>
[GenerateSerializer, Immutable, Alias("oee.queue-entry")]
internal readonly record struct QueueEntry(
    [property: Id(0)] string TaskId,
    [property: Id(1)] int Priority,
    [property: Id(2)] long Sequence,
    [property: Id(30)] string? ConcurrencyKey = null,
    [property: Id(31)] DateTimeOffset WaitingSince = default,
    [property: Id(20)] DateTimeOffset? DueAt = null);

/// <summary>The one total order of a queue: priority desc, then sequence asc, then id.</summary>
internal sealed class QueueEntryOrder : IComparer<QueueEntry>
{
    /// <summary>The shared instance.</summary>
    public static QueueEntryOrder Instance { get; } = new();

    /// <inheritdoc />
    public int Compare(QueueEntry x, QueueEntry y) => Compare(x.Priority, x.Sequence, x.TaskId, y.Priority, y.Sequence, y.TaskId);

    /// <summary>The order on (priority, sequence, id) triples: priority desc, sequence asc, id ordinal.</summary>
    public static int Compare(int xPriority, long xSequence, string xId, int yPriority, long ySequence, string yId)
    {
        var byPriority = yPriority.CompareTo(xPriority);
        if (byPriority != 0)
        {
            return byPriority;
        }

        var bySequence = xSequence.CompareTo(ySequence);
        return bySequence != 0 ? bySequence : string.CompareOrdinal(xId, yId);
    }
}
