using Oee.Grains.Contracts;
using Oee.Grains.Storage;

namespace Oee.Grains.Queues;

/// <summary>
/// The ordered backlog of one queue. Tasks without a concurrency key wait in one ordered set; tasks
/// with a key wait in their key's own ordered set (a lane), and only the best task of each lane
/// whose key is not blocked stands in the <c>ready</c> set beside the keyless ones. Taking the next
/// start is the minimum of <c>ready</c>: a blocked key's tasks, however many, are never looked at.
/// Costs (n waiting tasks, k keys): add, remove and take O(log n); blocking or unblocking a key
/// O(log n); <see cref="InOrder"/> O(n log n) (inspection only); changing the aging interval O(n log n).
/// <para>
/// Priority aging (when an interval is set): a task's level is its priority plus one for each full
/// interval it has waited (since <see cref="QueueEntry.WaitingSince"/>), at most
/// <see cref="TaskLimits.MaxPriority"/>. Each task's next level-up time sits in a min-heap;
/// <see cref="Age"/> re-places the tasks whose time has come, so each task moves at most
/// <see cref="TaskLimits.MaxPriority"/> times in its life (O(log n) each).
/// </para>
/// <para>
/// Memory: a waiting task is one small node (<see cref="TaskKey"/>, key, sequence, waiting time,
/// levels), its place in an ordered set and its slot in the id map; its <see cref="QueueEntry"/> is
/// rebuilt when asked for. The backlog holds ready tasks only: an entry's <see cref="QueueEntry.DueAt"/>
/// is not kept (scheduled entries wait in <see cref="DueEntries"/>).
/// </para>
/// </summary>
internal sealed class QueueBacklog
{
    private readonly SortedSet<Node> ready = new(NodeOrder.Instance);
    private readonly Dictionary<TaskKey, Node> byId = [];
    private readonly Dictionary<string, SortedSet<Node>> lanes = new(StringComparer.Ordinal);
    private readonly HashSet<string> blocked = new(StringComparer.Ordinal);
    private readonly PriorityQueue<Node, long> levelUps = new();
    private readonly int[] countByPriority = new int[TaskLimits.MaxPriority + 1];

    /// <summary>How many tasks wait.</summary>
    public int Count => byId.Count;

    /// <summary>True when a task could be taken now: a keyless one or one of a key that is not blocked.</summary>
    public bool HasReady => ready.Count > 0;

    /// <summary>The level (the priority raised by aging) of the task <see cref="TryTake"/> would take next; only while <see cref="HasReady"/>.</summary>
    public int NextLevel => ready.Min!.Level;

    /// <summary>The aging interval, or zero when tasks keep their priority while they wait.</summary>
    public TimeSpan AgingInterval { get; private set; }

    public bool TryGet(string taskId, out QueueEntry entry)
    {
        if (byId.TryGetValue(TaskKey.Of(taskId), out var node))
        {
            entry = node.ToEntry();
            return true;
        }

        entry = default;
        return false;
    }

    /// <summary>Adds an entry at its priority (aging catches up at the next <see cref="Age"/>); false when the task is already in the backlog.</summary>
    public bool Add(QueueEntry entry)
    {
        var node = new Node(entry);
        if (!byId.TryAdd(node.Key, node))
        {
            return false;
        }

        countByPriority[entry.Priority]++;
        ScheduleLevelUp(node);
        Attach(node);
        return true;
    }

    /// <summary>Removes the task's entry; false when it is not in the backlog.</summary>
    public bool Remove(string taskId)
    {
        if (!byId.Remove(TaskKey.Of(taskId), out var node))
        {
            return false;
        }

        Forget(node);
        return true;
    }

    private void Forget(Node node)
    {
        node.Gone = true;
        countByPriority[node.Priority]--;
        Detach(node);
    }

    /// <summary>Takes the first entry in queue order among those not held by a blocked key.</summary>
    public bool TryTake(out QueueEntry entry)
    {
        if (ready.Count == 0)
        {
            entry = default;
            return false;
        }

        var node = ready.Min!;
        byId.Remove(node.Key);
        Forget(node);
        entry = node.ToEntry();
        return true;
    }

    /// <summary>The key may start no more tasks for now: its lane steps out of the ready set.</summary>
    public void Block(string key)
    {
        if (blocked.Add(key) && lanes.TryGetValue(key, out var lane))
        {
            ready.Remove(lane.Min!);
        }
    }

    /// <summary>The key may start tasks again: its best task steps back into the ready set.</summary>
    public void Unblock(string key)
    {
        if (blocked.Remove(key) && lanes.TryGetValue(key, out var lane))
        {
            ready.Add(lane.Min!);
        }
    }

    /// <summary>True while the key is blocked.</summary>
    public bool IsBlocked(string key) => blocked.Contains(key);

    /// <summary>Changes the aging interval (zero: off) and re-places every task at its level at <paramref name="now"/>.</summary>
    public void SetAging(TimeSpan interval, DateTimeOffset now)
    {
        if (interval == AgingInterval)
        {
            return;
        }

        AgingInterval = interval;
        levelUps.Clear();
        var nodes = byId.Values.ToList();
        foreach (var node in nodes)
        {
            Detach(node);
            node.Level = node.Priority;
            ScheduleLevelUp(node);
            Attach(node);
        }

        Age(now);
    }

    /// <summary>Raises the level of every task whose next full interval of waiting has passed at <paramref name="now"/>.</summary>
    public void Age(DateTimeOffset now)
    {
        if (AgingInterval <= TimeSpan.Zero)
        {
            return;
        }

        var at = now.UtcTicks;
        while (levelUps.TryPeek(out var node, out var due) && due <= at)
        {
            levelUps.Dequeue();
            if (node.Gone || node.LevelUpAt != due)
            {
                continue;
            }

            Detach(node);
            node.Level = (byte)LevelOf(node.Priority, node.WaitingSinceTicks, AgingInterval, now);
            ScheduleLevelUp(node);
            Attach(node);
        }

        // Removed tasks stay in the heap until their time; rebuild it when they outnumber the living.
        if (levelUps.Count > 1024 && levelUps.Count > 2 * byId.Count)
        {
            levelUps.Clear();
            foreach (var node in byId.Values)
            {
                ScheduleLevelUp(node);
            }
        }
    }

    /// <summary>
    /// The level of a task at <paramref name="now"/>: its priority plus the number of full
    /// <paramref name="interval"/>s it has waited, at most <see cref="TaskLimits.MaxPriority"/>;
    /// its priority when aging is off (zero interval).
    /// </summary>
    public static int LevelAt(QueueEntry entry, TimeSpan interval, DateTimeOffset now) =>
        LevelOf(entry.Priority, entry.WaitingSince.UtcTicks, interval, now);

    private static int LevelOf(int priority, long waitingSinceTicks, TimeSpan interval, DateTimeOffset now)
    {
        var at = now.UtcTicks;
        if (interval <= TimeSpan.Zero || at <= waitingSinceTicks)
        {
            return priority;
        }

        var intervals = (at - waitingSinceTicks) / interval.Ticks;
        return (int)Math.Min(TaskLimits.MaxPriority, priority + intervals);
    }

    /// <summary>The number of waiting entries per priority (as submitted), only priorities that have any.</summary>
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

    /// <summary>How many tasks wait behind blocked keys: O(number of blocked keys).</summary>
    public int CountHeld()
    {
        var held = 0;
        foreach (var key in blocked)
        {
            held += lanes.TryGetValue(key, out var lane) ? lane.Count : 0;
        }

        return held;
    }

    /// <summary>The number of waiting entries of each key (keys with any): O(k).</summary>
    public Dictionary<string, int> CountByKey() => lanes.ToDictionary(l => l.Key, l => l.Value.Count, StringComparer.Ordinal);

    /// <summary>The entries in start order by their current levels, blocked keys included (for inspection and tests): O(n log n).</summary>
    public IEnumerable<QueueEntry> InOrder() => byId.Values.Order(NodeOrder.Instance).Select(n => n.ToEntry()).ToList();

    private void ScheduleLevelUp(Node node)
    {
        if (AgingInterval <= TimeSpan.Zero || node.Level >= TaskLimits.MaxPriority)
        {
            node.LevelUpAt = long.MaxValue;
            return;
        }

        // The level rises once the (level - priority + 1)-th full interval of waiting has passed.
        var steps = node.Level - node.Priority + 1;
        node.LevelUpAt = node.WaitingSinceTicks + (steps * AgingInterval.Ticks);
        levelUps.Enqueue(node, node.LevelUpAt);
    }

    /// <summary>Puts a node in its place: the ready set (keyless), or its lane (and the ready set when it heads an unblocked lane).</summary>
    private void Attach(Node node)
    {
        if (node.ConcurrencyKey is not { } key)
        {
            ready.Add(node);
            return;
        }

        if (!lanes.TryGetValue(key, out var lane))
        {
            lane = new SortedSet<Node>(NodeOrder.Instance);
            lanes[key] = lane;
        }

        var head = lane.Count > 0 ? lane.Min : null;
        lane.Add(node);
        if (!blocked.Contains(key) && ReferenceEquals(lane.Min, node))
        {
            if (head is not null)
            {
                ready.Remove(head);
            }

            ready.Add(node);
        }
    }

    /// <summary>Takes a node out of its place; the next of its lane heads it when it did.</summary>
    private void Detach(Node node)
    {
        if (node.ConcurrencyKey is not { } key)
        {
            ready.Remove(node);
            return;
        }

        var lane = lanes[key];
        var wasHead = ReferenceEquals(lane.Min, node);
        lane.Remove(node);
        if (wasHead && !blocked.Contains(key))
        {
            ready.Remove(node);
            if (lane.Count > 0)
            {
                ready.Add(lane.Min!);
            }
        }

        if (lane.Count == 0)
        {
            lanes.Remove(key);
        }
    }

    /// <summary>A waiting task (its entry's fields, packed) and its current level (its priority, raised by aging).</summary>
    private sealed class Node(QueueEntry entry)
    {
        public TaskKey Key { get; } = TaskKey.Of(entry.TaskId);

        public string? ConcurrencyKey { get; } = entry.ConcurrencyKey;

        public long Sequence { get; } = entry.Sequence;

        /// <summary>UTC ticks of <see cref="QueueEntry.WaitingSince"/>.</summary>
        public long WaitingSinceTicks { get; } = entry.WaitingSince.UtcTicks;

        public byte Priority { get; } = (byte)entry.Priority;

        public byte Level { get; set; } = (byte)entry.Priority;

        public bool Gone { get; set; }

        public long LevelUpAt { get; set; } = long.MaxValue;

        /// <summary>The entry as added (its waiting time in UTC; no due time: the backlog holds ready tasks).</summary>
        public QueueEntry ToEntry() =>
            new(Key.ToString(), Priority, Sequence, ConcurrencyKey, new DateTimeOffset(WaitingSinceTicks, TimeSpan.Zero));
    }

    /// <summary>Level desc, then sequence asc, then id: the queue's one total order with aged levels.</summary>
    private sealed class NodeOrder : IComparer<Node>
    {
        public static NodeOrder Instance { get; } = new();

        public int Compare(Node? x, Node? y) =>
            ReferenceEquals(x, y) ? 0 : CompareNodes(x!, y!);

        private static int CompareNodes(Node x, Node y)
        {
            // As QueueEntryOrder: level desc, sequence asc, id ordinal.
            var byLevel = y.Level.CompareTo(x.Level);
            if (byLevel != 0)
            {
                return byLevel;
            }

            var bySequence = x.Sequence.CompareTo(y.Sequence);
            return bySequence != 0 ? bySequence : TaskKey.CompareOrdinal(x.Key, y.Key);
        }
    }
}
