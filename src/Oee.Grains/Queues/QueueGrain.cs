using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Oee.Grains.Cluster;
using Oee.Grains.Configuration;
using Oee.Grains.Contracts;
using Oee.Grains.Storage;
using Oee.Grains.Tasks;
using Oee.Grains.Telemetry;
using Oee.Grains.Time;
using Oee.Grains.WarmUp;
using Oee.Grains.Workers;
using Orleans.Runtime;

namespace Oee.Grains.Queues;

/// <summary>Durable settings of one queue (written only when they change).</summary>
[GenerateSerializer, Alias("oee.queue-settings-state")]
internal sealed class QueueSettingsState
{
    [Id(0)] public int? MaxConcurrency { get; set; }

    [Id(1)] public bool Paused { get; set; }

    [Id(20)] public RetryPolicy? Retry { get; set; }

    [Id(21)] public int? MaxAttempts { get; set; }

    [Id(50)] public TimeSpan? Timeout { get; set; }

    [Id(30)] public int? MaxPending { get; set; }

    [Id(31)] public double? StartRate { get; set; }

    [Id(32)] public int? StartBurst { get; set; }

    [Id(33)] public int? MaxPerKey { get; set; }

    [Id(34)] public TimeSpan? AgingInterval { get; set; }

    [Id(95)] public string? CallbackUrl { get; set; }

    [Id(96)] public WebhookEvents CallbackEvents { get; set; }

    /// <summary>The stored settings as a change (null members: the silo's defaults).</summary>
    public QueueSettingsUpdate ToUpdate() => new()
    {
        MaxConcurrency = MaxConcurrency,
        Paused = Paused,
        MaxPending = MaxPending,
        StartRate = StartRate,
        StartBurst = StartBurst,
        MaxPerKey = MaxPerKey,
        AgingInterval = AgingInterval,
    };

    /// <summary>Takes the scheduler's configured settings.</summary>
    public void From(QueueSettingsUpdate configured)
    {
        MaxConcurrency = configured.MaxConcurrency;
        Paused = configured.Paused ?? false;
        MaxPending = configured.MaxPending;
        StartRate = configured.StartRate;
        StartBurst = configured.StartBurst;
        MaxPerKey = configured.MaxPerKey;
        AgingInterval = configured.AgingInterval;
    }
}

/// <summary>
/// One queue's messages, storage and liveness around its <see cref="QueueScheduler"/>, which makes
/// every decision. Dispatches are sent without waiting for the answer; each task tells the queue
/// when it leaves. In durable mode every entry is written (group commit) before its enqueue
/// returns, and the order is rebuilt from the store on activation. While it holds work the queue
/// stays active, checks that its running tasks are alive (restarting those lost with a dead silo),
/// and keeps a reminder so that it is woken again if its own silo dies. Scheduled tasks (delayed
/// starts, retries waiting for their backoff) wait in <see cref="DueEntries"/> until due: a timer on
/// the engine clock hands them to the scheduler on time, and in durable mode one more reminder per
/// queue, due with the earliest of them, wakes the queue after a restart.
/// </summary>
[Reentrant]
internal sealed partial class QueueGrain(
    [PersistentState("queue", OeeStorage.Name)] IPersistentState<QueueSettingsState> settings,
    IQueueStore store,
    IGrainFactory grains,
    ClusterWorkerSlots workerSlots,
    DispatchBudget budget,
    IOptions<OeeOptions> options,
    IOptions<OeeQueueOptions> queueDefaults,
    Webhooks.WebhookTargets webhooks,
    [FromKeyedServices(OeeClock.ServiceKey)] TimeProvider time,
    ILogger<QueueGrain> logger) : Grain, IQueueGrain, IQueueEngineGrain, IRemindable
{
    private const string WakeReminder = "oee-queue-wake";
    private const string DueReminder = "oee-queue-due";

    // How soon a queue held back by the silo's dispatch budget asks again (on the system clock: a wait of the transport,
    // not an engine time rule); its own tasks' leaves bring it back sooner.
    private static readonly TimeSpan BudgetRecheck = TimeSpan.FromMilliseconds(100);

    // Orleans reminders take due times up to about 49 days; a later entry is reached by a re-registration on the way.
    private static readonly TimeSpan MaxReminderDueTime = TimeSpan.FromDays(30);

    // Within the slots, the queue counts its dispatches in the silo's budget until its activation ends (ReturnBudget).
    private readonly QueueScheduler scheduler = new(options.Value.DefaultMaxConcurrency, queueDefaults.Value.ToUpdate())
    {
        Budget = options.Value.DispatchWithinSlots ? budget : null,
    };
    private readonly DueEntries due = new();
    private QueueWriteBuffer? writes;
    private ActivationTimer? leaseTimer;
    private ActivationTimer? retryTimer;

    // Dispatched tasks a lease check of the paused queue found not started: sent their start when the queue resumes.
    private readonly HashSet<string> heldByPause = new(StringComparer.Ordinal);

    // Entries whose task answered NotFound, and since when (see OeeOptions.UnknownTaskGrace).
    private readonly Dictionary<string, DateTimeOffset> unknownSince = new(StringComparer.Ordinal);
    private ActivationTimer? rateTimer;

    // While the silo's dispatch budget holds the next start back (QueueScheduler.HeldByBudget): asks again every BudgetRecheck.
    private ActivationTimer? budgetTimer;
    private bool wakeRegistered;
    private ActivationTimer? dueTimer;
    private DateTimeOffset? dueTimerAt;
    private QueueGauge? gauge;

    // The due reminder's first tick as registered by this activation; unknown (null, "maybe") on activation.
    private DateTimeOffset? dueReminderAt;
    private bool dueReminderKnown;
    private Task dueReminderUpdate = Task.CompletedTask;

    // The key, decoded once (read for every dispatch's metric).
    private string? name;

    private string Name => name ??= this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        scheduler.Configure(settings.State.ToUpdate(), time.GetUtcNow());
        // The warm-up's queue stays out of the listings and the gauges (WarmUpTasks).
        var listed = !WarmUpTasks.IsQueue(Name);
        if (listed)
        {
            await grains.GetGrain<IQueueDirectoryGrain>(0).Register(Name);
        }

        // Durable mode: the entries and the next number; memory mode: the next number this silo kept from an earlier activation.
        writes = store.IsDurable ? new QueueWriteBuffer(store, Name) : null;
        var snapshot = await store.Load(Name, cancellationToken);
        RestoreEntries(snapshot);
        if (snapshot.Entries.Count > 0)
        {
            LogRestored(logger, Name, snapshot.Entries.Count, scheduler.NextSequence);
        }

        // Reported from here on (an activation that failed to load reports nothing); published by each change.
        gauge = listed ? QueueGauges.Track(Name) : null;
        Dispatch();
        ProcessDue();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (gauge is not null)
        {
            QueueGauges.Untrack(gauge);
        }

        leaseTimer?.Dispose();
        retryTimer?.Dispose();
        rateTimer?.Dispose();
        budgetTimer?.Dispose();
        dueTimer?.Dispose();
        // Work still under way in this activation (a lease check, a start's answer) dispatches without units from here.
        scheduler.ReturnBudget();

        // Memory mode: the next number, for this queue's next activation on this silo (durable mode wrote it with its entries).
        return store.IsDurable ? Task.CompletedTask : store.Write(Name, [], [], scheduler.NextSequence);
    }

    Task<EnqueueResult> IQueueEngineGrain.Enqueue(string taskId, int priority, string? concurrencyKey, bool admitted) => Add(taskId, priority, reservedSequence: null, concurrencyKey, admitted);

    // Persisted with the next entry written; numbers reserved but never used are gaps, and gaps are harmless.
    Task<long> IQueueEngineGrain.Reserve(int count) => Task.FromResult(scheduler.Reserve(count));

    Task<EnqueueResult> IQueueEngineGrain.EnqueueReserved(string taskId, int priority, long sequence, string? concurrencyKey, bool admitted) => Add(taskId, priority, sequence, concurrencyKey, admitted);

    Task<EnqueueResult> IQueueEngineGrain.EnqueueReadyOrStart(string taskId, int priority, long sequence, string? concurrencyKey) =>
        Add(taskId, priority, sequence, concurrencyKey, admitted: true, callerStarts: true);

    Task<EnqueueResult> IQueueEngineGrain.EnqueueOrStart(string taskId, int priority, long? reservedSequence, string? concurrencyKey, bool withRecord, string[]? leaving)
    {
        if (leaving is not { Length: > 0 })
        {
            return Add(taskId, priority, reservedSequence, concurrencyKey, admitted: false, callerStarts: true, callerWrites: withRecord);
        }

        // The leaves first, as a LeaveMany just before: the slots they free go in priority order.
        var left = LeaveRiding(leaving);
        var added = Add(taskId, priority, reservedSequence, concurrencyKey, admitted: false, callerStarts: true, callerWrites: withRecord);
        return left.IsCompleted ? added : AfterBoth(left, added);

        static async Task<EnqueueResult> AfterBoth(Task left, Task<EnqueueResult> added)
        {
            await left;
            return await added;
        }
    }

    /// <summary>
    /// Leaves that rode on an enqueue: freed as by <see cref="IQueueEngineGrain.LeaveMany"/>. Durable mode:
    /// should their rows' delete fail, the enqueue is answered all the same (the slots are free); the rows
    /// come back with a restart, and the lease check finds their tasks finished and forgets them again.
    /// </summary>
    private async Task LeaveRiding(string[] taskIds)
    {
        try
        {
            await Forget(taskIds);
        }
        catch (Exception ex)
        {
            LogLeaveRowsFailed(logger, ex, Name, taskIds.Length);
        }
    }

    /// <summary>
    /// Adds a task at the next sequence number, or at a reserved one; returns once its entry is stored. A full queue refuses a new task and stores nothing.
    /// With <paramref name="callerStarts"/>, a task dispatched at once is left to the caller to start (no start call is sent).
    /// With <paramref name="callerWrites"/> too, such a task's entry (and that of a task already held) is left to the caller
    /// to write with its record (<see cref="EnqueueResult.EntryLeftToCaller"/>).
    /// </summary>
    private async Task<EnqueueResult> Add(string taskId, int priority, long? reservedSequence, string? concurrencyKey, bool admitted = false, bool callerStarts = false, bool callerWrites = false)
    {
        if (due.TryGet(taskId, out var scheduled))
        {
            return Answer(scheduled.Sequence, dispatched: false);
        }

        var now = time.GetUtcNow();
        var (entry, kind) = scheduler.Enqueue(taskId, priority, reservedSequence, concurrencyKey, now, admitted);
        if (kind == EnqueueKind.QueueFull)
        {
            LogQueueFull(logger, Name, taskId, scheduler.MaxPending);
            return EnqueueResult.Full(scheduler.MaxPending, scheduler.RetryAfter(now));
        }

        // A task held already (its submit retried): its entry may never have been written, when the
        // first try's transaction failed; the retry writes it with the record.
        var leftToCaller = callerWrites && writes is not null;
        if (kind != EnqueueKind.Added)
        {
            return Answer(entry.Sequence, dispatched: kind == EnqueueKind.AlreadyRunning) with { EntryLeftToCaller = leftToCaller };
        }

        // The dispatch may go out before the entry is durable: the task answers it only after its
        // submit (which awaits this call) has completed. Left to the caller, it is this answer.
        var startNow = Dispatch(callerStarts ? taskId : null, justAdded: taskId);
        var startedAtOnce = scheduler.IsRunning(taskId);
        if (startNow && leftToCaller)
        {
            // Held here as running until the caller's transaction commits; should it fail, the
            // task answers the lease check NotFound and the entry is dropped (OeeOptions.UnknownTaskGrace).
            return Answer(entry.Sequence, startedAtOnce) with { StartNow = true, EntryLeftToCaller = true };
        }

        if (writes is not null)
        {
            try
            {
                await writes.Upsert(entry, scheduler.NextSequence);
            }
            catch
            {
                scheduler.Withdraw(taskId);
                throw;
            }
        }

        return startNow ? Answer(entry.Sequence, startedAtOnce) with { StartNow = true } : Answer(entry.Sequence, startedAtOnce);
    }

    /// <summary>An enqueue's answer, with the queue's defaults for a task that has none of its own.</summary>
    private EnqueueResult Answer(long sequence, bool dispatched) =>
        new(sequence, dispatched, settings.State.Retry, settings.State.MaxAttempts)
        {
            TasksWaiting = scheduler.Pending > 0,
            Timeout = settings.State.Timeout,
            CallbackUrl = settings.State.CallbackUrl,
            CallbackEvents = settings.State.CallbackEvents,
        };

    // A waiting task's number: reserved by its batch, or the next; persisted with the next entry written (as Reserve).
    Task<EnqueueResult> IQueueEngineGrain.PlaceWaiting(long? reservedSequence) =>
        Task.FromResult(Answer(reservedSequence ?? scheduler.Reserve(1), dispatched: false));

    async Task<EnqueueResult> IQueueEngineGrain.Schedule(string taskId, int priority, DateTimeOffset dueAt, long? sequence, string? concurrencyKey)
    {
        long number;
        if (sequence is { } given)
        {
            // A retry's backoff (the task was running: free its slot), a manual retry (due now) or a
            // batch's reserved place. The number may predate this activation (memory mode starts afresh).
            scheduler.Restore([], given + 1);
            if (scheduler.Leave(taskId) == LeaveKind.Dispatched)
            {
                Dispatch();
            }

            number = given;
        }
        else if (due.TryGet(taskId, out var held))
        {
            return Answer(held.Sequence, dispatched: false);
        }
        else
        {
            number = scheduler.Reserve(1);
        }

        var entry = new QueueEntry(taskId, Math.Clamp(priority, TaskLimits.MinPriority, TaskLimits.MaxPriority), number, concurrencyKey, DueAt: dueAt);
        due.Add(entry);
        Exception? unstored = null;
        if (writes is not null)
        {
            try
            {
                await writes.Upsert(entry, scheduler.NextSequence);
            }
            catch (Exception ex) when (sequence is not null)
            {
                // A task the queue already had a place for (a retry's backoff, a manual retry, a batch's reserved
                // place) keeps its entry here although its row could not be written: its record says it waits, and
                // nothing else would bring it back before the queue reloads (a manual retry's task left no row). It
                // comes due and starts in this activation; the caller still learns that the row failed.
                LogScheduledRowFailed(logger, ex, Name, taskId);
                unstored = ex;
            }
            catch
            {
                // A new task's submit fails with this call, before its record is written: its place goes too.
                due.Remove(taskId);
                throw;
            }
        }

        ProcessDue();
        if (unstored is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(unstored);
        }

        return Answer(number, dispatched: scheduler.IsRunning(taskId));
    }

    /// <summary>Splits what the store held: entries still to come due wait in <see cref="due"/>, the others in the backlog.</summary>
    private void RestoreEntries(QueueSnapshot snapshot)
    {
        var now = time.GetUtcNow();
        var ready = new List<QueueEntry>(snapshot.Entries.Count);
        foreach (var entry in snapshot.Entries)
        {
            if (entry.DueAt is { } dueAt && dueAt > now)
            {
                due.Add(entry);
            }
            else
            {
                ready.Add(entry with { DueAt = null });
            }
        }

        scheduler.Restore(ready, snapshot.NextSequence, snapshot.Running);
    }

    private bool HoldsWork => scheduler.HoldsWork || due.Count > 0;

    /// <summary>
    /// Hands every entry that is due to the scheduler (at its priority and sequence) and dispatches;
    /// tasks that still wait are told they are queued. Then re-arms the timer and the reminder.
    /// </summary>
    private void ProcessDue()
    {
        var ready = due.TakeDue(time.GetUtcNow());
        if (ready.Count > 0)
        {
            var now = time.GetUtcNow();
            foreach (var entry in ready)
            {
                // Accepted when it was scheduled: never refused for maxPending now.
                scheduler.Enqueue(entry.TaskId, entry.Priority, entry.Sequence, entry.ConcurrencyKey, now, admitted: true);
            }

            Dispatch();
            foreach (var entry in ready.Where(e => !scheduler.IsRunning(e.TaskId)))
            {
                _ = NotifyDue(entry.TaskId);
            }

            LogDue(logger, Name, ready.Count);
        }

        ArmDue();
    }

    private async Task NotifyDue(string taskId)
    {
        try
        {
            await grains.Reference<ITaskEngineGrain>(taskId).Due();
        }
        catch (Exception ex)
        {
            // Only the status shown is late: the entry waits in the backlog and starts in its turn.
            LogDueNoticeFailed(logger, ex, Name, taskId);
        }
    }

    /// <summary>The timer fires when the earliest scheduled entry is due; the reminder follows it (durable mode).</summary>
    private void ArmDue()
    {
        var next = due.NextDueAt;
        if (next != dueTimerAt || (next is not null && dueTimer is null))
        {
            dueTimer?.Dispose();
            dueTimer = null;
            dueTimerAt = next;
            if (next is { } at)
            {
                var wait = at - time.GetUtcNow();
                dueTimer = ActivationTimer.Start(time, OnDueTimer, wait > TimeSpan.Zero ? wait : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
            }
        }

        UpdateLiveness();
        UpdateDueReminder();
    }

    private Task OnDueTimer()
    {
        dueTimer?.Dispose();
        dueTimer = null;
        dueTimerAt = null;
        ProcessDue();
        return Task.CompletedTask;
    }

    private Task OnDueReminder()
    {
        // Woken (after a restart, the activation restored the entries) or a tick while active: catch up.
        dueReminderKnown = false;
        ProcessDue();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Durable mode: one reminder while the queue holds scheduled entries, its first tick at the
    /// earliest of them, so that a queue whose silos all stopped is activated in time to start it.
    /// Updates run one at a time; the last wanted state wins.
    /// </summary>
    private void UpdateDueReminder()
    {
        if (writes is not null && dueReminderUpdate.IsCompleted)
        {
            dueReminderUpdate = FollowDueReminder();
        }
    }

    private async Task FollowDueReminder()
    {
        // Entries come and go while a registration is written: loop until the reminder matches them.
        while (!dueReminderKnown || due.NextDueAt != dueReminderAt)
        {
            var wanted = due.NextDueAt;
            try
            {
                if (wanted is { } at)
                {
                    var wait = at - time.GetUtcNow();
                    wait = wait < TimeSpan.Zero ? TimeSpan.Zero : wait > MaxReminderDueTime ? MaxReminderDueTime : wait;
                    await this.RegisterOrUpdateReminder(DueReminder, wait, options.Value.QueueWakePeriod);
                }
                else
                {
                    await this.RemoveReminder(DueReminder);
                }

                dueReminderAt = wanted;
                dueReminderKnown = true;
            }
            catch (Exception ex)
            {
                // Tried again at the next change or lease round.
                dueReminderKnown = false;
                LogReminderFailed(logger, ex, Name);
                return;
            }
        }
    }

    Task IQueueEngineGrain.Leave(string taskId) => Forget(taskId);

    async Task<bool> IQueueEngineGrain.LeaveMany(string[] taskIds)
    {
        await Forget(taskIds);
        return scheduler.Pending > 0;
    }

    Task IQueueEngineGrain.Requeue(string taskId)
    {
        if (scheduler.Requeue(taskId))
        {
            LogRequeued(logger, Name, taskId);
            Dispatch();
        }

        return Task.CompletedTask;
    }

    Task<QueueStatus> IQueueGrain.GetStatus(CancellationToken cancellationToken) => Task.FromResult(Status());

    async Task<QueueStatus> IQueueGrain.Configure(QueueSettingsUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        var errors = QueueCallbackRules.Check(update, webhooks);
        if (errors.Count > 0)
        {
            throw new Client.OeeValidationException(errors);
        }

        var before = scheduler.Configured;
        var (retryBefore, attemptsBefore, timeoutBefore) = (settings.State.Retry, settings.State.MaxAttempts, settings.State.Timeout);
        var (callbackBefore, callbackEventsBefore) = (settings.State.CallbackUrl, settings.State.CallbackEvents);
        var changed = scheduler.Configure(update, time.GetUtcNow());
        changed |= ConfigureDefaults(update);
        changed |= QueueCallbackRules.Apply(update, settings.State);
        if (changed)
        {
            settings.State.From(scheduler.Configured);
            try
            {
                await settings.WriteStateAsync(cancellationToken);
            }
            catch
            {
                // Not durable, so not applied: the queue keeps the settings it had.
                scheduler.ResetTo(before, time.GetUtcNow());
                settings.State.From(before);
                (settings.State.Retry, settings.State.MaxAttempts, settings.State.Timeout) = (retryBefore, attemptsBefore, timeoutBefore);
                (settings.State.CallbackUrl, settings.State.CallbackEvents) = (callbackBefore, callbackEventsBefore);
                throw;
            }

            LogConfigured(logger, Name, scheduler.MaxConcurrency, scheduler.Paused, scheduler.MaxPending, scheduler.StartRate, scheduler.MaxPerKey, scheduler.AgingInterval);
        }

        // A new start rate may allow starts sooner (or later) than the timer set for the old one.
        rateTimer?.Dispose();
        rateTimer = null;
        Dispatch();
        StartHeldByPause();
        return Status();
    }

    /// <summary>Takes the default retry policy and attempts of an update; true when either changed.</summary>
    private bool ConfigureDefaults(QueueSettingsUpdate update)
    {
        var changed = false;
        if (update.Retry is { } retry)
        {
            var policy = RetryPolicyRules.Normalize(retry);
            changed |= policy != settings.State.Retry;
            settings.State.Retry = policy;
        }

        if (update.MaxAttempts is { } attempts && attempts != settings.State.MaxAttempts)
        {
            settings.State.MaxAttempts = attempts;
            changed = true;
        }

        if (update.Timeout is { } timeout)
        {
            TimeSpan? next = timeout == TimeSpan.Zero ? null : timeout;
            changed |= next != settings.State.Timeout;
            settings.State.Timeout = next;
        }

        return changed;
    }

    private QueueStatus Status() => scheduler.Status(Name) with
    {
        Scheduled = due.Count,
        NextDueAt = due.NextDueAt,
        Retry = settings.State.Retry,
        MaxAttempts = settings.State.MaxAttempts,
        Timeout = settings.State.Timeout,
        CallbackUrl = settings.State.CallbackUrl,
        CallbackEvents = settings.State.CallbackEvents,
    };

    Task IRemindable.ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == DueReminder)
        {
            return OnDueReminder();
        }

        // Being woken is the point: the activation rebuilt the backlog and resumed dispatching.
        wakeRegistered = true;
        Dispatch();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Sends the scheduler's starts; never waits for the tasks' answers. A start of
    /// <paramref name="startedByCaller"/> is not sent: true when it was among them (the caller starts it).
    /// <paramref name="justAdded"/>: the task enqueueing itself now, whose activation is alive (see
    /// <see cref="QueueScheduler.TakeStarts"/> on the cluster's slots).
    /// </summary>
    private bool Dispatch(string? startedByCaller = null, string? justAdded = null)
    {
        var now = time.GetUtcNow();
        var leftToCaller = false;
        if (options.Value.DispatchWithinSlots)
        {
            scheduler.SlotLimit = ClusterSlots();
        }

        var starts = scheduler.TakeStarts(now, justAdded);
        for (var i = 0; i < starts.Count; i++)
        {
            var entry = starts[i];
            OeeMetrics.TaskDispatched(Name, entry.WaitingSince, now);
            if (startedByCaller is not null && entry.TaskId == startedByCaller)
            {
                leftToCaller = true;
                continue;
            }

            _ = StartAsync(entry, scheduler.DispatchLevel(entry));
        }

        // The start rate holds back a start that could happen: come back when its next token is there.
        if (rateTimer is null && scheduler.NextStartDelay(now) is { } delay)
        {
            rateTimer = ActivationTimer.Start(
                time,
                () =>
                {
                    rateTimer?.Dispose();
                    rateTimer = null;
                    Dispatch();
                    return Task.CompletedTask;
                },
                delay > TimeSpan.Zero ? delay : TimeSpan.FromMilliseconds(1),
                Timeout.InfiniteTimeSpan);
        }

        RecheckWhileHeldByBudget();
        UpdateLiveness();
        return leftToCaller;
    }

    /// <summary>While the silo's dispatch budget holds the next start back, asks again every <see cref="BudgetRecheck"/>; stops once it does not.</summary>
    private void RecheckWhileHeldByBudget()
    {
        if (!scheduler.HeldByBudget)
        {
            budgetTimer?.Dispose();
            budgetTimer = null;
        }
        else
        {
            budgetTimer ??= ActivationTimer.Start(
                TimeProvider.System,
                () =>
                {
                    Dispatch();
                    return Task.CompletedTask;
                },
                BudgetRecheck,
                BudgetRecheck);
        }
    }

    /// <summary>
    /// Starts a dispatched task; <paramref name="level"/>: the level it was dispatched at. A task that aging raised
    /// gets its level (<see cref="ITaskEngineGrain.StartAt"/>), which orders it among the tasks waiting for a slot on its silo.
    /// </summary>
    private async Task StartAsync(QueueEntry entry, int level)
    {
        StartResult result;
        try
        {
            result = await SendStart(entry, level);
        }
        catch (Exception ex)
        {
            // The task could not be reached: put it back in its place and try again shortly.
            LogStartFailed(logger, ex, Name, entry.TaskId);
            if (scheduler.Requeue(entry.TaskId))
            {
                ScheduleRetry();
            }

            return;
        }

        if (result == StartResult.NotFound && StillExpected(entry.TaskId))
        {
            // Its submit may still be persisting in another activation: try again shortly.
            if (scheduler.Requeue(entry.TaskId))
            {
                ScheduleRetry();
            }

            return;
        }

        unknownSince.Remove(entry.TaskId);
        if (result != StartResult.Accepted)
        {
            await Forget(entry.TaskId);
        }
    }

    /// <summary>The start of a dispatched task, at its dispatch level when aging raised it above its priority.</summary>
    private Task<StartResult> SendStart(QueueEntry entry, int level)
    {
        var task = grains.Reference<ITaskEngineGrain>(entry.TaskId);
        return level > entry.Priority ? task.StartAt(level) : task.Start();
    }

    /// <summary>True while an entry whose task says it does not exist is younger, as unknown, than the grace.</summary>
    private bool StillExpected(string taskId)
    {
        var now = time.GetUtcNow();
        if (!unknownSince.TryGetValue(taskId, out var since))
        {
            unknownSince[taskId] = now;
            return options.Value.UnknownTaskGrace > TimeSpan.Zero;
        }

        return now - since < options.Value.UnknownTaskGrace;
    }

    /// <summary>A task leaves (finished, cancelled, purged or never persisted): its slot or place is freed and its row deleted.</summary>
    private Task Forget(string taskId) => Forget([taskId]);

    /// <summary>The tasks leave: their entries or slots are freed, with one dispatch for all the slots freed.</summary>
    private async Task Forget(IReadOnlyList<string> taskIds)
    {
        var freed = false;
        var dueChanged = false;
        foreach (var taskId in taskIds)
        {
            dueChanged |= due.Remove(taskId);
            freed |= scheduler.Leave(taskId) == LeaveKind.Dispatched;
        }

        if (dueChanged)
        {
            ArmDue();
        }

        if (freed)
        {
            Dispatch();
        }
        else
        {
            UpdateLiveness();
        }

        if (writes is not null)
        {
            await Task.WhenAll(taskIds.Select(writes.Delete));
        }
    }

    /// <summary>
    /// Asks every running task, all at once, whether it is still alive; a task lost with its silo
    /// restarts in its new activation, and one whose start was lost starts now (unless the queue is paused: then it
    /// starts when the queue resumes, <see cref="StartHeldByPause"/>). Each is sent the start
    /// its dispatch was (at its dispatch level: <see cref="QueueScheduler.DispatchLevel"/>), so that a task
    /// aging raised waits for a slot on its silo at that level. A task that does not answer within a lease
    /// interval (its silo may be dying and not yet declared dead) is asked again at the next check.
    /// </summary>
    private Task CheckLeases()
    {
        var timeout = options.Value.LeaseCheckInterval;
        return Task.WhenAll(scheduler.Running.ToList().Select(entry => CheckLease(entry, timeout)));
    }

    private async Task CheckLease(QueueEntry entry, TimeSpan timeout)
    {
        try
        {
            if (scheduler.Paused && await NotStarted(entry.TaskId).WaitAsync(timeout, time))
            {
                // A pause holds every start, a lease check's too: a task whose start was lost (or is still on its way)
                // is not started now, but when the queue resumes. A running one is confirmed (or recovered) as ever.
                heldByPause.Add(entry.TaskId);
                LogLeaseHeldByPause(logger, Name, entry.TaskId);
                return;
            }

            if (await SendStart(entry, scheduler.DispatchLevel(entry)).WaitAsync(timeout, time) != StartResult.Accepted)
            {
                await Forget(entry.TaskId);
            }
        }
        catch (Exception ex)
        {
            LogLeaseCheckFailed(logger, ex, Name, entry.TaskId);
        }
    }

    /// <summary>
    /// True when the task's record says it waits to start (queued or scheduled): its dispatch has not started it (yet).
    /// A read that interleaves with the task's own work (<see cref="ITaskGrain.Get"/>), asked only while the queue is paused.
    /// </summary>
    private async Task<bool> NotStarted(string taskId) =>
        await grains.Reference<ITaskGrain>(taskId).Get() is { Status: OeeTaskStatus.Queued or OeeTaskStatus.Scheduled };

    /// <summary>A queue that resumed sends the tasks its lease checks held while it was paused their start, at once.</summary>
    private void StartHeldByPause()
    {
        if (scheduler.Paused || heldByPause.Count == 0)
        {
            return;
        }

        var timeout = options.Value.LeaseCheckInterval;
        var held = scheduler.Running.Where(entry => heldByPause.Contains(entry.TaskId)).ToList();
        heldByPause.Clear();
        foreach (var entry in held)
        {
            _ = CheckLease(entry, timeout);
        }
    }

    /// <summary>The active silos' worker slots together, and half as many again.</summary>
    private int ClusterSlots() =>
        // Half as many again: placement does not follow free slots, and a silo given more than its share must not leave
        // another's slots idle.
        (workerSlots.Total * 3 + 1) / 2;

    private void ScheduleRetry()
    {
        retryTimer ??= ActivationTimer.Start(
            time,
            () =>
            {
                retryTimer?.Dispose();
                retryTimer = null;
                Dispatch();
                return Task.CompletedTask;
            },
            options.Value.DispatchRetryDelay,
            Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// While the queue holds work: kept active, a lease-check timer, and (durable mode) a reminder
    /// that wakes the queue after its silo dies. All three end once it is idle.
    /// </summary>
    private void UpdateLiveness()
    {
        gauge?.Publish(scheduler.Pending, scheduler.Running.Count, due.Count);
        if (!HoldsWork)
        {
            return;
        }

        if (leaseTimer is null)
        {
            DelayDeactivation(Timeout.InfiniteTimeSpan);
            var interval = options.Value.LeaseCheckInterval;
            leaseTimer = ActivationTimer.Start(time, OnLeaseTimer, interval, interval);
        }

        // Scheduled entries have a reminder of their own (UpdateDueReminder).
        if (writes is not null && !wakeRegistered && scheduler.HoldsWork)
        {
            wakeRegistered = true;
            _ = SetWakeReminder(register: true);
        }
    }

    private async Task OnLeaseTimer()
    {
        if (HoldsWork)
        {
            UpdateDueReminder();
            await CheckLeases();
            Dispatch();
            return;
        }

        leaseTimer?.Dispose();
        leaseTimer = null;
        DelayDeactivation(TimeSpan.Zero);
        if (wakeRegistered)
        {
            wakeRegistered = false;
            await SetWakeReminder(register: false);
        }
    }

    private async Task SetWakeReminder(bool register)
    {
        try
        {
            await this.SetWakeReminder(WakeReminder, options.Value.QueueWakePeriod, register);
        }
        catch (Exception ex)
        {
            LogReminderFailed(logger, ex, Name);
            if (register)
            {
                // Not registered: asked again at the next dispatch or lease check (UpdateLiveness), so that a queue
                // holding work still has its reminder should its silo die.
                wakeRegistered = false;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue {Queue} could not start task {TaskId}; it stays queued and is retried")]
    private static partial void LogStartFailed(ILogger logger, Exception exception, string queue, string taskId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue {Queue} could not store the scheduled entry of task {TaskId}; it waits in this activation only")]
    private static partial void LogScheduledRowFailed(ILogger logger, Exception exception, string queue, string taskId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Queue {Queue} could not check running task {TaskId}; it is checked again next time")]
    private static partial void LogLeaseCheckFailed(ILogger logger, Exception exception, string queue, string taskId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Queue {Queue} is paused: its lease check found task {TaskId} not started and leaves its start until the queue resumes")]
    private static partial void LogLeaseHeldByPause(ILogger logger, string queue, string taskId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Queue {Queue} configured: maxConcurrency {MaxConcurrency}, paused {Paused}, maxPending {MaxPending}, startRate {StartRate}/s, maxPerKey {MaxPerKey}, agingInterval {AgingInterval}")]
    private static partial void LogConfigured(ILogger logger, string queue, int maxConcurrency, bool paused, int maxPending, double startRate, int maxPerKey, TimeSpan agingInterval);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Queue {Queue} is full ({MaxPending} tasks waiting): task {TaskId} refused")]
    private static partial void LogQueueFull(ILogger logger, string queue, string taskId, int maxPending);

    [LoggerMessage(Level = LogLevel.Information, Message = "Queue {Queue} restored {Count} unfinished task(s) from its store; next sequence {NextSequence}")]
    private static partial void LogRestored(ILogger logger, string queue, int count, long nextSequence);

    [LoggerMessage(Level = LogLevel.Information, Message = "Queue {Queue} took back task {TaskId} from a stopping silo")]
    private static partial void LogRequeued(ILogger logger, string queue, string taskId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Queue {Queue}: {Count} scheduled task(s) came due and are queued")]
    private static partial void LogDue(ILogger logger, string queue, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Queue {Queue} could not tell task {TaskId} that it is due; it waits in the backlog all the same")]
    private static partial void LogDueNoticeFailed(ILogger logger, Exception exception, string queue, string taskId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue {Queue} freed the slots of {Count} finished task(s) but could not delete their rows; a restart finds them again and the lease check forgets them")]
    private static partial void LogLeaveRowsFailed(ILogger logger, Exception exception, string queue, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue {Queue} could not update its wake-up reminder")]
    private static partial void LogReminderFailed(ILogger logger, Exception exception, string queue);
}
