using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Oee.Grains.Configuration;
using Oee.Grains.Contracts;
using Oee.Grains.Storage;

namespace Oee.Grains.Queues;

/// <summary>Durable settings of one queue (written only when they change).</summary>
[GenerateSerializer, Alias("oee.queue-settings-state")]
internal sealed class QueueSettingsState
{
    [Id(0)] public int? MaxConcurrency { get; set; }

    [Id(1)] public bool Paused { get; set; }
}

/// <summary>
/// Orders one queue's ready tasks and starts them while fewer than the limit run. Dispatches are
/// sent without waiting for the answer; each task tells the queue when it leaves. In durable mode
/// every entry is written (group commit) before its enqueue returns, and the order is rebuilt from
/// the store on activation. While it holds work the queue stays active, checks that its running
/// tasks are alive (restarting those lost with a dead silo), and keeps a reminder so that it is
/// woken again if its own silo dies.
/// </summary>
[Reentrant]
internal sealed partial class QueueGrain(
    [PersistentState("queue", OeeStorage.Name)] IPersistentState<QueueSettingsState> settings,
    IQueueStore store,
    IGrainFactory grains,
    IOptions<OeeOptions> options,
    ILogger<QueueGrain> logger) : Grain, IQueueGrain, IRemindable
{
    private const string WakeReminder = "oee-queue-wake";
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan WakePeriod = TimeSpan.FromMinutes(1);

    private readonly QueueBacklog backlog = new();
    private readonly Dictionary<string, QueueEntry> running = new(StringComparer.Ordinal);
    private QueueWriteBuffer? writes;
    private long nextSequence;
    private long enqueued;
    private long started;
    private long finished;
    private IGrainTimer? leaseTimer;
    private bool retryScheduled;
    private bool wakeRegistered;

    private string Name => this.GetPrimaryKeyString();

    private int MaxConcurrency => settings.State.MaxConcurrency ?? options.Value.DefaultMaxConcurrency;

    private bool HoldsWork => backlog.Count > 0 || running.Count > 0;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await grains.GetGrain<IQueueDirectoryGrain>(0).Register(Name);
        if (!store.IsDurable)
        {
            return;
        }

        writes = new QueueWriteBuffer(store, Name);
        var snapshot = await store.Load(Name, cancellationToken);
        foreach (var entry in snapshot.Entries)
        {
            backlog.Add(entry);
        }

        nextSequence = snapshot.NextSequence;
        if (snapshot.Entries.Count > 0)
        {
            LogRestored(logger, Name, snapshot.Entries.Count, nextSequence);
        }

        Dispatch();
    }

    Task<EnqueueResult> IQueueGrain.Enqueue(string taskId, int priority) => Add(taskId, priority, reservedSequence: null);

    Task<long> IQueueGrain.Reserve(int count)
    {
        if (count is < 1 or > TaskLimits.MaxBatchSize)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Reserve 1–{TaskLimits.MaxBatchSize} sequence numbers at a time.");
        }

        // Persisted with the next entry written; numbers reserved but never used are gaps, and gaps are harmless.
        var first = nextSequence;
        nextSequence += count;
        return Task.FromResult(first);
    }

    Task<EnqueueResult> IQueueGrain.EnqueueReserved(string taskId, int priority, long sequence)
    {
        if (sequence < 0 || sequence >= nextSequence)
        {
            throw new ArgumentOutOfRangeException(nameof(sequence), sequence, $"Queue {Name} never reserved sequence number {sequence} (next is {nextSequence}).");
        }

        return Add(taskId, priority, sequence);
    }

    /// <summary>Adds a task at the next sequence number, or at a reserved one.</summary>
    private async Task<EnqueueResult> Add(string taskId, int priority, long? reservedSequence)
    {
        if (backlog.TryGet(taskId, out var waiting))
        {
            return new EnqueueResult(waiting.Sequence, Dispatched: false);
        }

        if (running.TryGetValue(taskId, out var dispatched))
        {
            return new EnqueueResult(dispatched.Sequence, Dispatched: true);
        }

        var entry = new QueueEntry(taskId, Math.Clamp(priority, TaskLimits.MinPriority, TaskLimits.MaxPriority), reservedSequence ?? nextSequence++);
        backlog.Add(entry);
        enqueued++;

        // The dispatch may go out before the entry is durable: the task answers it only after its
        // submit (which awaits this call) has completed.
        Dispatch();
        var startedAtOnce = running.ContainsKey(taskId);
        if (writes is not null)
        {
            try
            {
                await writes.Upsert(entry, nextSequence);
            }
            catch
            {
                backlog.Remove(taskId);
                running.Remove(taskId);
                throw;
            }
        }

        return new EnqueueResult(entry.Sequence, startedAtOnce);
    }

    Task IQueueGrain.Leave(string taskId) => running.ContainsKey(taskId) ? ForgetDispatched(taskId) : ForgetWaiting(taskId);

    Task IQueueGrain.Requeue(string taskId)
    {
        if (running.Remove(taskId, out var entry))
        {
            started--;
            backlog.Add(entry);
            LogRequeued(logger, Name, taskId);
            Dispatch();
        }

        return Task.CompletedTask;
    }

    Task<QueueStatus> IQueueGrain.GetStatus() => Task.FromResult(Status());

    async Task<QueueStatus> IQueueGrain.Configure(QueueSettingsUpdate update)
    {
        if (update.MaxConcurrency is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(update), update.MaxConcurrency, "MaxConcurrency must be at least 1.");
        }

        var changed = false;
        if (update.MaxConcurrency is { } max && max != settings.State.MaxConcurrency)
        {
            settings.State.MaxConcurrency = max;
            changed = true;
        }

        if (update.Paused is { } paused && paused != settings.State.Paused)
        {
            settings.State.Paused = paused;
            changed = true;
        }

        if (changed)
        {
            await settings.WriteStateAsync();
            LogConfigured(logger, Name, MaxConcurrency, settings.State.Paused);
        }

        Dispatch();
        return Status();
    }

    Task IRemindable.ReceiveReminder(string reminderName, TickStatus status)
    {
        // Being woken is the point: the activation rebuilt the backlog and resumed dispatching.
        wakeRegistered = true;
        Dispatch();
        return Task.CompletedTask;
    }

    private QueueStatus Status() => new()
    {
        Name = Name,
        Pending = backlog.Count,
        PendingByPriority = backlog.CountByPriority(),
        Running = running.Count,
        MaxConcurrency = MaxConcurrency,
        Paused = settings.State.Paused,
        Enqueued = enqueued,
        Started = started,
        Finished = finished,
        NextSequence = nextSequence,
    };

    /// <summary>Starts the best entries while slots are free; never waits for the tasks' answers.</summary>
    private void Dispatch()
    {
        while (!settings.State.Paused && running.Count < MaxConcurrency && backlog.TryTake(out var entry))
        {
            running[entry.TaskId] = entry;
            started++;
            _ = StartAsync(entry);
        }

        UpdateTimers();
    }

    private async Task StartAsync(QueueEntry entry)
    {
        StartResult result;
        try
        {
            result = await grains.GetGrain<ITaskGrain>(entry.TaskId).Start();
        }
        catch (Exception ex)
        {
            // The task could not be reached: put it back in its place and try again shortly.
            LogStartFailed(logger, ex, Name, entry.TaskId);
            if (running.Remove(entry.TaskId))
            {
                started--;
                backlog.Add(entry);
                ScheduleRetry();
            }

            return;
        }

        if (result != StartResult.Accepted)
        {
            await ForgetDispatched(entry.TaskId);
        }
    }

    /// <summary>A dispatched task that is no longer queued or running (finished, purged, never persisted) frees its slot.</summary>
    private async Task ForgetDispatched(string taskId)
    {
        if (!running.Remove(taskId))
        {
            return;
        }

        finished++;
        Dispatch();
        if (writes is not null)
        {
            await writes.Delete(taskId);
        }
    }

    /// <summary>A task that leaves before its dispatch (cancelled while queued) gives up its backlog entry.</summary>
    private async Task ForgetWaiting(string taskId)
    {
        backlog.Remove(taskId);
        UpdateTimers();
        if (writes is not null)
        {
            await writes.Delete(taskId);
        }
    }

    /// <summary>Asks every running task whether it is still alive; a task lost with its silo restarts in its new activation.</summary>
    private async Task CheckLeases()
    {
        foreach (var entry in running.Values.ToList())
        {
            try
            {
                if (await grains.GetGrain<ITaskGrain>(entry.TaskId).Start() != StartResult.Accepted)
                {
                    await ForgetDispatched(entry.TaskId);
                }
            }
            catch (Exception ex)
            {
                // Its silo may be dying; membership will declare it dead and the next check restarts it.
                LogLeaseCheckFailed(logger, ex, Name, entry.TaskId);
            }
        }
    }

    private void ScheduleRetry()
    {
        if (retryScheduled)
        {
            return;
        }

        retryScheduled = true;
        this.RegisterGrainTimer(
            static (queue, _) =>
            {
                queue.retryScheduled = false;
                queue.Dispatch();
                return Task.CompletedTask;
            },
            this,
            new GrainTimerCreationOptions { DueTime = RetryDelay, Period = Timeout.InfiniteTimeSpan, KeepAlive = true });
    }

    /// <summary>
    /// While the queue holds work: a keep-alive lease-check timer, and (durable mode) a reminder
    /// that wakes the queue after its silo dies. Both stop once it is idle.
    /// </summary>
    private void UpdateTimers()
    {
        if (HoldsWork && leaseTimer is null)
        {
            var interval = options.Value.LeaseCheckInterval;
            leaseTimer = this.RegisterGrainTimer(
                static (queue, _) => queue.OnLeaseTimer(),
                this,
                new GrainTimerCreationOptions { DueTime = interval, Period = interval, KeepAlive = true, Interleave = true });
            if (writes is not null && !wakeRegistered)
            {
                wakeRegistered = true;
                _ = SetWakeReminder(register: true);
            }
        }
    }

    private async Task OnLeaseTimer()
    {
        if (HoldsWork)
        {
            await CheckLeases();
            Dispatch();
            return;
        }

        leaseTimer?.Dispose();
        leaseTimer = null;
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
                await this.RegisterOrUpdateReminder(WakeReminder, WakePeriod, WakePeriod);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Queue {Queue} configured: maxConcurrency {MaxConcurrency}, paused {Paused}")]
    private static partial void LogConfigured(ILogger logger, string queue, int maxConcurrency, bool paused);

    [LoggerMessage(Level = LogLevel.Information, Message = "Queue {Queue} restored {Count} unfinished task(s) from its store; next sequence {NextSequence}")]
    private static partial void LogRestored(ILogger logger, string queue, int count, long nextSequence);

    [LoggerMessage(Level = LogLevel.Information, Message = "Queue {Queue} took back task {TaskId} from a stopping silo")]
    private static partial void LogRequeued(ILogger logger, string queue, string taskId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue {Queue} could not update its wake-up reminder")]
    private static partial void LogReminderFailed(ILogger logger, Exception exception, string queue);
}
