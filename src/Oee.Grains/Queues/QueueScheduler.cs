using Oee.Grains.Contracts;

namespace Oee.Grains.Queues;

/// <summary>
/// The one place where a queue decides: which tasks wait and in what order, which run, when the
/// next ones may start. Pure (no I/O, no clock, no grain): tasks come in (enqueue, reserve,
/// requeue, leave), settings change (limit, pause), and "start these" comes out of
/// <see cref="TakeStarts"/>. The queue grain carries out the starts, stores the entries and checks
/// that running tasks are alive.
/// </summary>
internal sealed class QueueScheduler(int defaultMaxConcurrency)
{
    private readonly QueueBacklog backlog = new();
    private readonly Dictionary<string, QueueEntry> running = new(StringComparer.Ordinal);

    /// <summary>The sequence number the next task enqueued without a reservation gets.</summary>
    public long NextSequence { get; private set; }

    /// <summary>The configured concurrency limit, or null for the silo's default.</summary>
    public int? ConfiguredMaxConcurrency { get; private set; }

    /// <summary>The limit in force: at most this many dispatched tasks at once.</summary>
    public int MaxConcurrency => ConfiguredMaxConcurrency ?? defaultMaxConcurrency;

    /// <summary>True while starts are held; dispatched tasks run on.</summary>
    public bool Paused { get; private set; }

    /// <summary>True while any task waits or runs.</summary>
    public bool HoldsWork => backlog.Count > 0 || running.Count > 0;

    /// <summary>The dispatched tasks, in no particular order.</summary>
    public IReadOnlyCollection<QueueEntry> Running => running.Values;

    /// <summary>The waiting tasks, in start order.</summary>
    public IEnumerable<QueueEntry> Waiting => backlog.InOrder();

    private long Enqueued { get; set; }

    private long Started { get; set; }

    private long Finished { get; set; }

    /// <summary>Takes back what a store held: the unfinished tasks (all waiting again) and the sequence to continue from.</summary>
    public void Restore(IEnumerable<QueueEntry> entries, long nextSequence)
    {
        foreach (var entry in entries)
        {
            backlog.Add(entry);
            nextSequence = Math.Max(nextSequence, entry.Sequence + 1);
        }

        NextSequence = Math.Max(NextSequence, nextSequence);
    }

    /// <summary>
    /// Changes the limit and/or pause; members left null stay as they are. True when anything
    /// changed. A limit below 1 is refused and changes nothing.
    /// </summary>
    public bool Configure(int? maxConcurrency, bool? paused)
    {
        if (maxConcurrency is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxConcurrency), maxConcurrency, "A queue's maxConcurrency must be at least 1.");
        }

        var changed = false;
        if (maxConcurrency is { } max && max != ConfiguredMaxConcurrency)
        {
            ConfiguredMaxConcurrency = max;
            changed = true;
        }

        if (paused is { } pause && pause != Paused)
        {
            Paused = pause;
            changed = true;
        }

        return changed;
    }

    /// <summary>
    /// Adds a task at the next sequence number, or at one reserved with <see cref="Reserve"/>. A task
    /// already held keeps its entry and place (a repeated enqueue changes nothing).
    /// </summary>
    public EnqueueDecision Enqueue(string taskId, int priority, long? reservedSequence = null)
    {
        if (backlog.TryGet(taskId, out var waiting))
        {
            return new EnqueueDecision(waiting, EnqueueKind.AlreadyWaiting);
        }

        if (running.TryGetValue(taskId, out var dispatched))
        {
            return new EnqueueDecision(dispatched, EnqueueKind.AlreadyRunning);
        }

        if (reservedSequence is { } reserved && (reserved < 0 || reserved >= NextSequence))
        {
            throw new ArgumentOutOfRangeException(nameof(reservedSequence), reserved, $"Sequence number {reserved} was never reserved (the next is {NextSequence}).");
        }

        var entry = new QueueEntry(taskId, Math.Clamp(priority, TaskLimits.MinPriority, TaskLimits.MaxPriority), reservedSequence ?? NextSequence++);
        backlog.Add(entry);
        Enqueued++;
        return new EnqueueDecision(entry, EnqueueKind.Added);
    }

    /// <summary>Reserves <paramref name="count"/> consecutive sequence numbers (for a batch) and returns the first.</summary>
    public long Reserve(int count)
    {
        if (count is < 1 or > TaskLimits.MaxBatchSize)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Reserve 1–{TaskLimits.MaxBatchSize} sequence numbers at a time.");
        }

        var first = NextSequence;
        NextSequence += count;
        return first;
    }

    /// <summary>The tasks to start now, best first: as many as the limit leaves room for, none while paused. They count as running from here.</summary>
    public List<QueueEntry> TakeStarts()
    {
        var starts = new List<QueueEntry>();
        while (!Paused && running.Count < MaxConcurrency && backlog.TryTake(out var entry))
        {
            running[entry.TaskId] = entry;
            Started++;
            starts.Add(entry);
        }

        return starts;
    }

    /// <summary>True when the task has been dispatched and has not left.</summary>
    public bool IsRunning(string taskId) => running.ContainsKey(taskId);

    /// <summary>A dispatched task comes back (its silo is stopping, or its start could not be delivered): it waits again in its old place. False when it was not running.</summary>
    public bool Requeue(string taskId)
    {
        if (!running.Remove(taskId, out var entry))
        {
            return false;
        }

        Started--;
        backlog.Add(entry);
        return true;
    }

    /// <summary>The task leaves the queue: a dispatched one frees its slot, a waiting one its place.</summary>
    public LeaveKind Leave(string taskId)
    {
        if (running.Remove(taskId))
        {
            Finished++;
            return LeaveKind.Dispatched;
        }

        return backlog.Remove(taskId) ? LeaveKind.Waiting : LeaveKind.Unknown;
    }

    /// <summary>Undoes an enqueue that could not be stored: the task is gone as if never added.</summary>
    public void Withdraw(string taskId)
    {
        if (running.Remove(taskId))
        {
            Started--;
            Enqueued--;
        }
        else if (backlog.Remove(taskId))
        {
            Enqueued--;
        }
    }

    /// <summary>What the queue shows: backlog by priority, running, limits and counters since it activated.</summary>
    public QueueStatus Status(string name) => new()
    {
        Name = name,
        Pending = backlog.Count,
        PendingByPriority = backlog.CountByPriority(),
        Running = running.Count,
        MaxConcurrency = MaxConcurrency,
        Paused = Paused,
        Enqueued = Enqueued,
        Started = Started,
        Finished = Finished,
        NextSequence = NextSequence,
    };
}

/// <summary>What an enqueue found.</summary>
internal enum EnqueueKind
{
    /// <summary>A new entry was added.</summary>
    Added,

    /// <summary>The task was already waiting; its entry is unchanged.</summary>
    AlreadyWaiting,

    /// <summary>The task was already dispatched; its entry is unchanged.</summary>
    AlreadyRunning,
}

/// <summary>An enqueue's entry (new or the one already held) and what was found.</summary>
internal readonly record struct EnqueueDecision(QueueEntry Entry, EnqueueKind Kind);

/// <summary>Where a leaving task was.</summary>
internal enum LeaveKind
{
    /// <summary>It had been dispatched: its slot is free.</summary>
    Dispatched,

    /// <summary>It was waiting: its place is gone.</summary>
    Waiting,

    /// <summary>The queue did not hold it; nothing changed.</summary>
    Unknown,
}
