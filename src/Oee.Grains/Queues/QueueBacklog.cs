using Oee.Grains.Contracts;

namespace Oee.Grains.Queues;

/// <summary>
/// The ordered backlog of one queue: O(log n) add, take and remove by id, counts per priority.
/// </summary>
internal sealed class QueueBacklog
{
    private readonly SortedSet<QueueEntry> ordered = new(QueueEntryOrder.Instance);
    private readonly Dictionary<string, QueueEntry> byId = new(StringComparer.Ordinal);
    private readonly int[] countByPriority = new int[TaskLimits.MaxPriority + 1];

    public int Count => byId.Count;

    public bool TryGet(string taskId, out QueueEntry entry) => byId.TryGetValue(taskId, out entry);

    /// <summary>Adds an entry; false when the task is already in the backlog.</summary>
    public bool Add(QueueEntry entry)
    {
        if (!byId.TryAdd(entry.TaskId, entry))
        {
            return false;
        }

        ordered.Add(entry);
        countByPriority[entry.Priority]++;
        return true;
    }

    /// <summary>Removes the task's entry; false when it is not in the backlog.</summary>
    public bool Remove(string taskId)
    {
        if (!byId.Remove(taskId, out var entry))
        {
            return false;
        }

        ordered.Remove(entry);
        countByPriority[entry.Priority]--;
        return true;
    }

    /// <summary>Takes the first entry in queue order.</summary>
    public bool TryTake(out QueueEntry entry)
    {
        if (ordered.Count == 0)
        {
            entry = default;
            return false;
        }

        entry = ordered.Min;
        Remove(entry.TaskId);
        return true;
    }

    /// <summary>The number of waiting entries per priority, only priorities that have any.</summary>
    public Dictionary<int, int> CountByPriority()
    {
        var counts = new Dictionary<int, int>();
        for (var priority = countByPriority.Length - 1; priority >= 0; priority--)
        {
            if (countByPriority[priority] > 0)
            {
                counts[priority] = countByPriority[priority];
            }
        }

        return counts;
    }

    /// <summary>The entries in queue order (for inspection and tests).</summary>
    public IEnumerable<QueueEntry> InOrder() => ordered;
}
