using Oee.Grains.Contracts;

namespace Oee.Grains.Queues;

/// <summary>
/// The one place where a queue decides: which tasks wait and in what order, which run, when the
/// next ones may start. Pure (no I/O, no grain; the engine clock's time is passed in): tasks come in
/// (enqueue, reserve, requeue, leave), settings change (limit, pause, quotas), and "start these"
/// comes out of <see cref="TakeStarts"/>. The queue grain carries out the starts, stores the
/// entries, checks that running tasks are alive and wakes the scheduler when the start rate allows
/// the next start (<see cref="NextStartDelay"/>).
/// <para>
/// The rules: at most <see cref="MaxConcurrency"/> dispatched at once (and at most <see cref="SlotLimit"/>, the
/// cluster's worker slots, when set, and together with the other queues of the silo within its <see cref="Budget"/>); none while paused; at most
/// <see cref="MaxPerKey"/> dispatched per concurrency key (a key at its limit is skipped, its tasks
/// keep their places, and the next tasks of other keys start in order); at most the start rate's
/// tokens (<see cref="TokenBucket"/>); a new task refused when <see cref="MaxPending"/> tasks wait.
/// The order is (level desc, sequence asc, id), where the level is the priority raised by aging
/// (<see cref="QueueBacklog.LevelAt"/>); without aging it is the strict (priority, sequence) order.
/// </para>
/// </summary>
internal sealed class QueueScheduler
{
    private readonly QueueBacklog backlog = new();
    private readonly Dictionary<string, QueueEntry> running = new(StringComparer.Ordinal);

    // The running tasks that started past the cluster's slots at their own enqueue (TakeStarts' justAdded).
    private readonly HashSet<string> pastSlots = new(StringComparer.Ordinal);

    // The running tasks holding a unit of the silo's Budget, and the level it was taken at.
    private readonly Dictionary<string, int> budgeted = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> runningByKey = new(StringComparer.Ordinal);

    // The running tasks dispatched at a level above their priority (aging had raised it), and that level.
    private readonly Dictionary<string, int> raisedLevels = new(StringComparer.Ordinal);
    private readonly int defaultMaxConcurrency;
    private readonly QueueSettingsUpdate defaults;
    private QueueSettingsUpdate configured = new();
    private TokenBucket? bucket;

    /// <summary>A scheduler whose unconfigured settings are the silo's defaults (quotas: <paramref name="defaults"/>, each 0 = off, when given).</summary>
    public QueueScheduler(int defaultMaxConcurrency, QueueSettingsUpdate? defaults = null)
    {
        this.defaultMaxConcurrency = defaultMaxConcurrency;
        this.defaults = defaults ?? new QueueSettingsUpdate();
        if (QueueSettingsRules.Check(this.defaults) is { Count: > 0 } errors)
        {
            throw new ArgumentException(string.Join(" ", errors.Select(e => e.Message)), nameof(defaults));
        }

        ApplyQuotas(DateTimeOffset.MinValue, rateChanged: true, perKeyChanged: true, agingChanged: true);
    }

    /// <summary>The sequence number the next task enqueued without a reservation gets.</summary>
    public long NextSequence { get; private set; }

    /// <summary>The configured concurrency limit, or null for the silo's default.</summary>
    public int? ConfiguredMaxConcurrency => configured.MaxConcurrency;

    /// <summary>What was configured for this queue (null members: the silo's defaults); what the queue grain persists.</summary>
    public QueueSettingsUpdate Configured => configured with { Paused = Paused };

    /// <summary>The limit in force: at most this many dispatched tasks at once.</summary>
    public int MaxConcurrency => configured.MaxConcurrency ?? defaultMaxConcurrency;

    /// <summary>
    /// The cluster's worker slots, when the queue keeps its dispatch within them (<c>Oee:DispatchWithinSlots</c>):
    /// at most this many dispatched at once even where <see cref="MaxConcurrency"/> allows more, since a task
    /// dispatched beyond them only waits on its silo for a slot, holding its activation. Null: no such limit.
    /// </summary>
    public int? SlotLimit { get; set; }

    /// <summary>
    /// The silo's count of what its queues have dispatched (<see cref="DispatchBudget"/>), consulted with
    /// <see cref="SlotLimit"/> as its limit: a task dispatched from the backlog takes a unit at its level (its priority
    /// raised by aging: the order the queue dispatches in), and gives it back when it leaves or comes back. Null (or no
    /// <see cref="SlotLimit"/>): not consulted.
    /// </summary>
    public DispatchBudget? Budget { get; set; }

    /// <summary>True when the last <see cref="TakeStarts"/> held a start back only because the silo's <see cref="Budget"/> had no unit for it (the queue grain asks again shortly).</summary>
    public bool HeldByBudget { get; private set; }

    // The cluster's slots when fewer than the concurrency limit (at least one), else the limit.
    private int DispatchLimit => SlotLimit is { } slots && slots < MaxConcurrency ? Math.Max(1, slots) : MaxConcurrency;

    // Within the concurrency limit, and the tasks dispatched from the backlog within the slots: those that started past
    // them at their own enqueue (pastSlots) do not count there, so that a task of a higher priority coming back to the
    // backlog later (due, retried, handed back) is dispatched and takes the next slot on its silo before them.
    private bool CanDispatch => running.Count < MaxConcurrency && running.Count - pastSlots.Count < DispatchLimit;

    private bool KeepsBudget => Budget is not null && SlotLimit is not null;

    private bool OnlyJustAddedWaits(string? justAdded) =>
        justAdded is not null && running.Count < MaxConcurrency && backlog.Count == 1 && backlog.TryGet(justAdded, out _);

    /// <summary>True while starts are held; dispatched tasks run on.</summary>
    public bool Paused { get; private set; }

    /// <summary>The most waiting tasks (0: no limit).</summary>
    public int MaxPending => configured.MaxPending ?? defaults.MaxPending ?? 0;

    /// <summary>The start rate in tasks per second (0: no limit).</summary>
    public double StartRate => configured.StartRate ?? defaults.StartRate ?? 0;

    /// <summary>The start rate's bucket size in force (0 without a start rate).</summary>
    public int StartBurst => bucket?.Burst ?? 0;

    /// <summary>The most dispatched tasks per concurrency key (0: no limit).</summary>
    public int MaxPerKey => configured.MaxPerKey ?? defaults.MaxPerKey ?? 0;

    /// <summary>The aging interval (zero: off).</summary>
    public TimeSpan AgingInterval => configured.AgingInterval ?? defaults.AgingInterval ?? TimeSpan.Zero;

    /// <summary>True while any task waits or runs.</summary>
    public bool HoldsWork => backlog.Count > 0 || running.Count > 0;

    /// <summary>The dispatched tasks, in no particular order.</summary>
    public IReadOnlyCollection<QueueEntry> Running => running.Values;

    /// <summary>Dispatched tasks per concurrency key (keys with any).</summary>
    public IReadOnlyDictionary<string, int> RunningByKey => runningByKey;

    /// <summary>The waiting tasks in start order by their levels as of the last <see cref="TakeStarts"/>, blocked keys included.</summary>
    public IEnumerable<QueueEntry> Waiting => backlog.InOrder();

    /// <summary>How many tasks wait.</summary>
    public int Pending => backlog.Count;

    private long Enqueued { get; set; }

    private long Started { get; set; }

    private long Finished { get; set; }

    /// <summary>
    /// Takes back what a store held: the unfinished tasks and the sequence to continue from. Those in <paramref name="running"/>
    /// (their task was running) count as dispatched at once, in the limits and per key; the others wait again.
    /// </summary>
    public void Restore(IEnumerable<QueueEntry> entries, long nextSequence, IReadOnlySet<string>? running = null)
    {
        var dispatched = new List<QueueEntry>();
        foreach (var entry in entries)
        {
            if (running is not null && running.Contains(entry.TaskId))
            {
                dispatched.Add(entry);
            }
            else
            {
                backlog.Add(entry);
            }

            nextSequence = Math.Max(nextSequence, entry.Sequence + 1);
        }

        // After the backlog holds its entries, so that a key at its limit blocks its waiting ones.
        foreach (var entry in dispatched)
        {
            MarkRunning(entry);
        }

        NextSequence = Math.Max(NextSequence, nextSequence);
    }

    /// <summary>Changes the limit and/or pause; members left null stay as they are. See <see cref="Configure(QueueSettingsUpdate, DateTimeOffset)"/>.</summary>
    public bool Configure(int? maxConcurrency, bool? paused)
    {
        if (maxConcurrency is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxConcurrency), maxConcurrency, "A queue's maxConcurrency must be at least 1.");
        }

        return Configure(new QueueSettingsUpdate { MaxConcurrency = maxConcurrency, Paused = paused }, DateTimeOffset.MinValue);
    }

    /// <summary>
    /// Changes the settings; members left null stay as they are. True when anything changed. A value
    /// out of range (<see cref="QueueSettingsRules"/>) is refused with an <see cref="ArgumentException"/>
    /// naming it, and nothing changes. A new start rate or burst starts with a full bucket at
    /// <paramref name="now"/>; a new aging interval re-ranks every waiting task at <paramref name="now"/>.
    /// </summary>
    public bool Configure(QueueSettingsUpdate update, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (QueueSettingsRules.Check(update) is { Count: > 0 } errors)
        {
            throw new ArgumentException(string.Join(" ", errors.Select(e => $"{e.Field}: {e.Message}")), nameof(update));
        }

        var next = new QueueSettingsUpdate
        {
            MaxConcurrency = update.MaxConcurrency ?? configured.MaxConcurrency,
            MaxPending = update.MaxPending ?? configured.MaxPending,
            StartRate = update.StartRate ?? configured.StartRate,
            StartBurst = update.StartBurst ?? configured.StartBurst,
            MaxPerKey = update.MaxPerKey ?? configured.MaxPerKey,
            AgingInterval = update.AgingInterval ?? configured.AgingInterval,
        };
        return Replace(next, update.Paused ?? Paused, now);
    }

    /// <summary>
    /// Puts back settings taken from <see cref="Configured"/> exactly (null members: the silo's
    /// defaults again), e.g. when writing a change failed. True when anything changed.
    /// </summary>
    public bool ResetTo(QueueSettingsUpdate settings, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Replace(settings with { Paused = null }, settings.Paused ?? false, now);
    }

    private bool Replace(QueueSettingsUpdate next, bool paused, DateTimeOffset now)
    {
        var before = (StartRate, Burst: configured.StartBurst ?? defaults.StartBurst, MaxPerKey, AgingInterval);
        var changed = next != configured || paused != Paused;
        configured = next;
        Paused = paused;
        ApplyQuotas(
            now,
            rateChanged: before.StartRate != StartRate || before.Burst != (configured.StartBurst ?? defaults.StartBurst),
            perKeyChanged: before.MaxPerKey != MaxPerKey,
            agingChanged: before.AgingInterval != AgingInterval);
        return changed;
    }

    /// <summary>
    /// Adds a task at the next sequence number, or at one reserved with <see cref="Reserve"/>, waiting
    /// since <paramref name="now"/>. A task already held keeps its entry and place (a repeated enqueue
    /// changes nothing). A new task is refused (<see cref="EnqueueKind.QueueFull"/>, nothing changes)
    /// while <see cref="MaxPending"/> tasks wait, unless it was <paramref name="admitted"/> before (a
    /// task accepted while it waited for its dependencies, now ready).
    /// </summary>
    public EnqueueDecision Enqueue(string taskId, int priority, long? reservedSequence = null, string? concurrencyKey = null, DateTimeOffset now = default, bool admitted = false)
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

        if (!admitted && MaxPending > 0 && backlog.Count >= MaxPending)
        {
            return new EnqueueDecision(default, EnqueueKind.QueueFull);
        }

        var entry = new QueueEntry(
            taskId,
            Math.Clamp(priority, TaskLimits.MinPriority, TaskLimits.MaxPriority),
            reservedSequence ?? NextSequence++,
            concurrencyKey,
            now);
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

    /// <summary>
    /// The tasks to start at <paramref name="now"/>, best first: as many as the concurrency limit, the
    /// per-key limit and the start rate allow, none while paused. They count as running from here.
    /// Nothing to start (a leave, under load most calls) allocates nothing, and one start a list of one.
    /// Past <see cref="SlotLimit"/>, or without a unit of the silo's <see cref="Budget"/> (but within the concurrency limit), a task still starts when it is
    /// <paramref name="justAdded"/> and nothing else waits: its activation is alive (it is enqueueing itself),
    /// and waiting on its silo for a slot costs less than leaving and being activated again for its start.
    /// </summary>
    public IReadOnlyList<QueueEntry> TakeStarts(DateTimeOffset now, string? justAdded = null)
    {
        HeldByBudget = false;
        if (Paused)
        {
            return [];
        }

        List<QueueEntry>? starts = null;

        backlog.Age(now);
        while (backlog.HasReady)
        {
            var within = CanDispatch;
            var level = backlog.NextLevel;
            var took = within && KeepsBudget && Budget!.TryTake(level, budgeted.Count, Math.Max(1, SlotLimit!.Value));
            var pastTheSlots = !within || (KeepsBudget && !took);
            if (pastTheSlots && !OnlyJustAddedWaits(justAdded))
            {
                HeldByBudget = within;
                break;
            }

            if (bucket is not null && !bucket.TryTake(now))
            {
                if (took)
                {
                    Budget!.Return(level, budgeted.Count);
                }

                break;
            }

            backlog.TryTake(out var entry);
            MarkRunning(entry);
            if (level > entry.Priority)
            {
                raisedLevels[entry.TaskId] = level;
            }
            if (pastTheSlots)
            {
                pastSlots.Add(entry.TaskId);
            }
            else if (took)
            {
                budgeted.Add(entry.TaskId, level);
            }

            Started++;
            (starts ??= new List<QueueEntry>(capacity: 1)).Add(entry);
        }

        return (IReadOnlyList<QueueEntry>?)starts ?? [];
    }

    /// <summary>
    /// When only the start rate holds back a start that could happen now: how long until its next
    /// token (the queue grain sets a timer for it). Null when nothing waits for a token.
    /// </summary>
    public TimeSpan? NextStartDelay(DateTimeOffset now) =>
        bucket is not null && !Paused && CanDispatch && !HeldByBudget && backlog.HasReady
            ? bucket.UntilNextToken(now)
            : null;

    /// <summary>
    /// The <c>Retry-After</c> of a refused submit: the time until the start rate's next token (when it
    /// has one; the backlog shrinks no faster), rounded up to whole seconds, at least 1 second.
    /// </summary>
    public TimeSpan RetryAfter(DateTimeOffset now)
    {
        var wait = bucket?.UntilNextToken(now) ?? TimeSpan.Zero;
        return TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(wait.TotalSeconds)));
    }

    /// <summary>
    /// Gives back every unit of the silo's <see cref="Budget"/> this queue holds and consults it no more (its activation
    /// ends; work of the activation still under way may dispatch, without units); its tasks stay dispatched.
    /// </summary>
    public void ReturnBudget()
    {
        var levels = budgeted.Values.ToList();
        budgeted.Clear();
        for (var i = 0; i < levels.Count; i++)
        {
            Budget?.Return(levels[i], levels.Count - i - 1);
        }

        Budget = null;
    }

    /// <summary>
    /// The level a dispatched task was taken at: its priority as aging had raised it by then (<see cref="QueueBacklog.LevelAt"/>),
    /// which every start the queue sends it carries, its lease checks' included, so that it waits for a slot on its silo at
    /// that level. Its priority when aging had not raised it, or when unknown (a task restored as running).
    /// </summary>
    public int DispatchLevel(QueueEntry entry) => raisedLevels.TryGetValue(entry.TaskId, out var level) ? level : entry.Priority;

    /// <summary>True when the task has been dispatched and has not left.</summary>
    public bool IsRunning(string taskId) => running.ContainsKey(taskId);

    /// <summary>A dispatched task comes back (its silo is stopping, or its start could not be delivered): it waits again in its old place. False when it was not running.</summary>
    public bool Requeue(string taskId)
    {
        if (!running.Remove(taskId, out var entry))
        {
            return false;
        }

        MarkStopped(entry);
        Started--;
        backlog.Add(entry);
        return true;
    }

    /// <summary>The task leaves the queue: a dispatched one frees its slot, a waiting one its place.</summary>
    public LeaveKind Leave(string taskId)
    {
        if (running.Remove(taskId, out var entry))
        {
            MarkStopped(entry);
            Finished++;
            return LeaveKind.Dispatched;
        }

        return backlog.Remove(taskId) ? LeaveKind.Waiting : LeaveKind.Unknown;
    }

    /// <summary>Undoes an enqueue that could not be stored: the task is gone as if never added.</summary>
    public void Withdraw(string taskId)
    {
        if (running.Remove(taskId, out var entry))
        {
            MarkStopped(entry);
            Started--;
            Enqueued--;
        }
        else if (backlog.Remove(taskId))
        {
            Enqueued--;
        }
    }

    /// <summary>What the queue shows: backlog by priority, running (per key), limits, quotas and counters since it activated.</summary>
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
        MaxPending = MaxPending,
        StartRate = StartRate,
        StartBurst = StartBurst,
        MaxPerKey = MaxPerKey,
        AgingInterval = AgingInterval,
        RunningByKey = new Dictionary<string, int>(runningByKey, StringComparer.Ordinal),
        HeldByKeyLimit = backlog.CountHeld(),
    };

    private void ApplyQuotas(DateTimeOffset now, bool rateChanged, bool perKeyChanged, bool agingChanged)
    {
        if (rateChanged)
        {
            var rate = StartRate;
            var burst = configured.StartBurst ?? defaults.StartBurst ?? 0;
            bucket = rate > 0 ? new TokenBucket(rate, burst > 0 ? burst : QueueSettingsRules.DefaultBurst(rate), now) : null;
        }

        if (perKeyChanged)
        {
            foreach (var (key, count) in runningByKey)
            {
                if (AtLimit(count))
                {
                    backlog.Block(key);
                }
                else
                {
                    backlog.Unblock(key);
                }
            }
        }

        if (agingChanged)
        {
            backlog.SetAging(AgingInterval, now);
        }
    }

    private bool AtLimit(int runningOfKey) => MaxPerKey > 0 && runningOfKey >= MaxPerKey;

    private void MarkRunning(QueueEntry entry)
    {
        running[entry.TaskId] = entry;
        if (entry.ConcurrencyKey is { } key)
        {
            var count = runningByKey[key] = runningByKey.GetValueOrDefault(key) + 1;
            if (AtLimit(count))
            {
                backlog.Block(key);
            }
        }
    }

    private void MarkStopped(QueueEntry entry)
    {
        if (pastSlots.Count > 0)
        {
            pastSlots.Remove(entry.TaskId);
        }

        if (raisedLevels.Count > 0)
        {
            raisedLevels.Remove(entry.TaskId);
        }

        if (budgeted.Count > 0 && budgeted.Remove(entry.TaskId, out var level))
        {
            Budget?.Return(level, budgeted.Count);
        }

        if (entry.ConcurrencyKey is not { } key || !runningByKey.TryGetValue(key, out var count))
        {
            return;
        }

        if (--count == 0)
        {
            runningByKey.Remove(key);
        }
        else
        {
            runningByKey[key] = count;
        }

        if (!AtLimit(count))
        {
            backlog.Unblock(key);
        }
    }
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

    /// <summary>The queue holds <see cref="QueueScheduler.MaxPending"/> waiting tasks: the task was refused and nothing changed.</summary>
    QueueFull,
}

/// <summary>An enqueue's entry (new or the one already held; default when refused) and what was found.</summary>
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
