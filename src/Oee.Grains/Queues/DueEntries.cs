namespace Oee.Grains.Queues;

/// <summary>
/// A queue's scheduled tasks (delayed starts, retries waiting for their backoff), by due time: a
/// min-heap on (due time, sequence) with lazy removal, and the entries by id. Pure: the queue grain
/// asks for what is due at a given instant and hands it to its <see cref="QueueScheduler"/>.
/// </summary>
internal sealed class DueEntries
{
    private readonly PriorityQueue<QueueEntry, (DateTimeOffset DueAt, long Sequence)> heap = new();
    private readonly Dictionary<string, QueueEntry> byId = new(StringComparer.Ordinal);

    /// <summary>How many tasks are scheduled.</summary>
    public int Count => byId.Count;

    /// <summary>When the earliest entry is due; null when there is none.</summary>
    public DateTimeOffset? NextDueAt
    {
        get
        {
            DropStale();
            return heap.TryPeek(out var entry, out _) ? entry.DueAt : null;
        }
    }

    /// <summary>The task's scheduled entry, if it has one.</summary>
    public bool TryGet(string taskId, out QueueEntry entry) => byId.TryGetValue(taskId, out entry);

    /// <summary>Schedules an entry (its <see cref="QueueEntry.DueAt"/> set); an entry of the same task is replaced.</summary>
    public void Add(QueueEntry entry)
    {
        if (entry.DueAt is not { } dueAt)
        {
            throw new ArgumentException($"Task '{entry.TaskId}' has no due time.", nameof(entry));
        }

        byId[entry.TaskId] = entry;
        heap.Enqueue(entry, (dueAt, entry.Sequence));
        Compact();
    }

    /// <summary>Removes the task's entry; false when it had none.</summary>
    public bool Remove(string taskId)
    {
        if (!byId.Remove(taskId))
        {
            return false;
        }

        Compact();
        return true;
    }

    /// <summary>Takes every entry due at or before <paramref name="now"/>, earliest first (equal times by sequence).</summary>
    public List<QueueEntry> TakeDue(DateTimeOffset now)
    {
        var due = new List<QueueEntry>();
        while (heap.TryPeek(out var entry, out var key) && key.DueAt <= now)
        {
            heap.Dequeue();
            if (IsCurrent(entry))
            {
                byId.Remove(entry.TaskId);
                due.Add(entry);
            }
        }

        return due;
    }

    private bool IsCurrent(QueueEntry entry) => byId.TryGetValue(entry.TaskId, out var held) && held == entry;

    private void DropStale()
    {
        while (heap.TryPeek(out var entry, out _) && !IsCurrent(entry))
        {
            heap.Dequeue();
        }
    }

    // Removed and replaced entries stay in the heap until they surface; rebuild once they outnumber the live ones.
    private void Compact()
    {
        if (heap.Count <= (2 * byId.Count) + 64)
        {
            return;
        }

        heap.Clear();
        foreach (var entry in byId.Values)
        {
            heap.Enqueue(entry, (entry.DueAt!.Value, entry.Sequence));
        }
    }
}
