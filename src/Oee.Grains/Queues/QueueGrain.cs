using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Oee.Grains.Configuration;
using Oee.Grains.Contracts;
using Oee.Grains.Storage;
using Oee.Grains.Tasks;
using Oee.Grains.Time;

namespace Oee.Grains.Queues;

/// <summary>Durable settings of one queue (written only when they change).</summary>
[GenerateSerializer, Alias("oee.queue-settings-state")]
internal sealed class QueueSettingsState
{
    [Id(0)] public int? MaxConcurrency { get; set; }

    [Id(1)] public bool Paused { get; set; }

    [Id(30)] public int? MaxPending { get; set; }

    [Id(31)] public double? StartRate { get; set; }

    [Id(32)] public int? StartBurst { get; set; }

    [Id(33)] public int? MaxPerKey { get; set; }

    [Id(34)] public TimeSpan? AgingInterval { get; set; }

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
/// and keeps a reminder so that it is woken again if its own silo dies.
/// </summary>
[Reentrant]
internal sealed partial class QueueGrain(
    [PersistentState("queue", OeeStorage.Name)] IPersistentState<QueueSettingsState> settings,
    IQueueStore store,
    IGrainFactory grains,
    IOptions<OeeOptions> options,
    IOptions<OeeQueueOptions> queueDefaults,
    [FromKeyedServices(OeeClock.ServiceKey)] TimeProvider time,
    ILogger<QueueGrain> logger) : Grain, IQueueGrain, IQueueEngineGrain, IRemindable
{
    private const string WakeReminder = "oee-queue-wake";

    private readonly QueueScheduler scheduler = new(options.Value.DefaultMaxConcurrency, queueDefaults.Value.ToUpdate());
    private QueueWriteBuffer? writes;
    private ActivationTimer? leaseTimer;
    private ActivationTimer? retryTimer;
    private ActivationTimer? rateTimer;
    private bool wakeRegistered;

    private string Name => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        scheduler.Configure(settings.State.ToUpdate(), time.GetUtcNow());
        await grains.GetGrain<IQueueDirectoryGrain>(0).Register(Name);
        if (store.IsDurable)
        {
            writes = new QueueWriteBuffer(store, Name);
            var snapshot = await store.Load(Name, cancellationToken);
            scheduler.Restore(snapshot.Entries, snapshot.NextSequence);
            if (snapshot.Entries.Count > 0)
            {
                LogRestored(logger, Name, snapshot.Entries.Count, scheduler.NextSequence);
            }
        }

        Dispatch();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        leaseTimer?.Dispose();
        retryTimer?.Dispose();
        rateTimer?.Dispose();
        return Task.CompletedTask;
    }

    Task<EnqueueResult> IQueueEngineGrain.Enqueue(string taskId, int priority, string? concurrencyKey, bool admitted) => Add(taskId, priority, reservedSequence: null, concurrencyKey, admitted);

    // Persisted with the next entry written; numbers reserved but never used are gaps, and gaps are harmless.
    Task<long> IQueueEngineGrain.Reserve(int count) => Task.FromResult(scheduler.Reserve(count));

    Task<EnqueueResult> IQueueEngineGrain.EnqueueReserved(string taskId, int priority, long sequence, string? concurrencyKey, bool admitted) => Add(taskId, priority, sequence, concurrencyKey, admitted);

    /// <summary>Adds a task at the next sequence number, or at a reserved one; returns once its entry is stored. A full queue refuses a new task and stores nothing.</summary>
    private async Task<EnqueueResult> Add(string taskId, int priority, long? reservedSequence, string? concurrencyKey, bool admitted = false)
    {
        var now = time.GetUtcNow();
        var (entry, kind) = scheduler.Enqueue(taskId, priority, reservedSequence, concurrencyKey, now, admitted);
        if (kind == EnqueueKind.QueueFull)
        {
            LogQueueFull(logger, Name, taskId, scheduler.MaxPending);
            return EnqueueResult.Full(scheduler.MaxPending, scheduler.RetryAfter(now));
        }

        if (kind != EnqueueKind.Added)
        {
            return new EnqueueResult(entry.Sequence, Dispatched: kind == EnqueueKind.AlreadyRunning);
        }

        // The dispatch may go out before the entry is durable: the task answers it only after its
        // submit (which awaits this call) has completed.
        Dispatch();
        var startedAtOnce = scheduler.IsRunning(taskId);
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

        return new EnqueueResult(entry.Sequence, startedAtOnce);
    }

    Task IQueueEngineGrain.Leave(string taskId) => Forget(taskId);

    Task IQueueEngineGrain.Requeue(string taskId)
    {
        if (scheduler.Requeue(taskId))
        {
            LogRequeued(logger, Name, taskId);
            Dispatch();
        }

        return Task.CompletedTask;
    }

    Task<QueueStatus> IQueueGrain.GetStatus(CancellationToken cancellationToken) => Task.FromResult(scheduler.Status(Name));

    async Task<QueueStatus> IQueueGrain.Configure(QueueSettingsUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        var before = scheduler.Configured;
        if (scheduler.Configure(update, time.GetUtcNow()))
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
                throw;
            }

            LogConfigured(logger, Name, scheduler.MaxConcurrency, scheduler.Paused, scheduler.MaxPending, scheduler.StartRate, scheduler.MaxPerKey, scheduler.AgingInterval);
        }

        // A new start rate may allow starts sooner (or later) than the timer set for the old one.
        rateTimer?.Dispose();
        rateTimer = null;
        Dispatch();
        return scheduler.Status(Name);
    }

    Task IRemindable.ReceiveReminder(string reminderName, TickStatus status)
    {
        // Being woken is the point: the activation rebuilt the backlog and resumed dispatching.
        wakeRegistered = true;
        Dispatch();
        return Task.CompletedTask;
    }

    /// <summary>Sends the scheduler's starts; never waits for the tasks' answers.</summary>
    private void Dispatch()
    {
        var now = time.GetUtcNow();
        foreach (var entry in scheduler.TakeStarts(now))
        {
            _ = StartAsync(entry);
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

        UpdateLiveness();
    }

    private async Task StartAsync(QueueEntry entry)
    {
        StartResult result;
        try
        {
            result = await grains.GetGrain<ITaskEngineGrain>(entry.TaskId).Start();
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

        if (result != StartResult.Accepted)
        {
            await Forget(entry.TaskId);
        }
    }

    /// <summary>A task leaves (finished, cancelled, purged or never persisted): its slot or place is freed and its row deleted.</summary>
    private async Task Forget(string taskId)
    {
        if (scheduler.Leave(taskId) == LeaveKind.Dispatched)
        {
            Dispatch();
        }
        else
        {
            UpdateLiveness();
        }

        if (writes is not null)
        {
            await writes.Delete(taskId);
        }
    }

    /// <summary>
    /// Asks every running task, all at once, whether it is still alive; a task lost with its silo
    /// restarts in its new activation. A task that does not answer within a lease interval (its
    /// silo may be dying and not yet declared dead) is asked again at the next check.
    /// </summary>
    private Task CheckLeases()
    {
        var timeout = options.Value.LeaseCheckInterval;
        return Task.WhenAll(scheduler.Running.ToList().Select(entry => CheckLease(entry.TaskId, timeout)));
    }

    private async Task CheckLease(string taskId, TimeSpan timeout)
    {
        try
        {
            if (await grains.GetGrain<ITaskEngineGrain>(taskId).Start().WaitAsync(timeout, time) != StartResult.Accepted)
            {
                await Forget(taskId);
            }
        }
        catch (Exception ex)
        {
            LogLeaseCheckFailed(logger, ex, Name, taskId);
        }
    }

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
        if (!scheduler.HoldsWork || leaseTimer is not null)
        {
            return;
        }

        DelayDeactivation(Timeout.InfiniteTimeSpan);
        var interval = options.Value.LeaseCheckInterval;
        leaseTimer = ActivationTimer.Start(time, OnLeaseTimer, interval, interval);
        if (writes is not null && !wakeRegistered)
        {
            wakeRegistered = true;
            _ = SetWakeReminder(register: true);
        }
    }

    private async Task OnLeaseTimer()
    {
        if (scheduler.HoldsWork)
        {
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
            if (register)
            {
                var period = options.Value.QueueWakePeriod;
                await this.RegisterOrUpdateReminder(WakeReminder, period, period);
            }
            else if (await this.GetReminder(WakeReminder) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }
        }
        catch (Exception ex)
        {
            LogReminderFailed(logger, ex, Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue {Queue} could not start task {TaskId}; it stays queued and is retried")]
    private static partial void LogStartFailed(ILogger logger, Exception exception, string queue, string taskId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Queue {Queue} could not check running task {TaskId}; it is checked again next time")]
    private static partial void LogLeaseCheckFailed(ILogger logger, Exception exception, string queue, string taskId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Queue {Queue} configured: maxConcurrency {MaxConcurrency}, paused {Paused}, maxPending {MaxPending}, startRate {StartRate}/s, maxPerKey {MaxPerKey}, agingInterval {AgingInterval}")]
    private static partial void LogConfigured(ILogger logger, string queue, int maxConcurrency, bool paused, int maxPending, double startRate, int maxPerKey, TimeSpan agingInterval);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Queue {Queue} is full ({MaxPending} tasks waiting): task {TaskId} refused")]
    private static partial void LogQueueFull(ILogger logger, string queue, string taskId, int maxPending);

    [LoggerMessage(Level = LogLevel.Information, Message = "Queue {Queue} restored {Count} unfinished task(s) from its store; next sequence {NextSequence}")]
    private static partial void LogRestored(ILogger logger, string queue, int count, long nextSequence);

    [LoggerMessage(Level = LogLevel.Information, Message = "Queue {Queue} took back task {TaskId} from a stopping silo")]
    private static partial void LogRequeued(ILogger logger, string queue, string taskId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue {Queue} could not update its wake-up reminder")]
    private static partial void LogReminderFailed(ILogger logger, Exception exception, string queue);
}
