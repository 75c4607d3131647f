using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Oee.Grains.Contracts;
using Oee.Grains.Hosting;

namespace Oee.Grains.Queues;

/// <summary>Durable settings of one queue (written only when they change).</summary>
[GenerateSerializer, Alias("oee.queue-settings-state")]
internal sealed class QueueSettingsState
{
    [Id(0)] public int? MaxConcurrency { get; set; }

    [Id(1)] public bool Paused { get; set; }
}

/// <summary>
/// Orders one queue's ready tasks and starts them while fewer than the limit run. Dispatches
/// are sent without blocking the queue: each task answers its start in its own time, and tells
/// the queue when it leaves. Stays active while it holds entries or running tasks.
/// </summary>
internal sealed partial class QueueGrain(
    [PersistentState("queue", OeeStorage.Name)] IPersistentState<QueueSettingsState> settings,
    IGrainFactory grains,
    IOptions<OeeOptions> options,
    ILogger<QueueGrain> logger) : Grain, IQueueGrain
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly QueueBacklog backlog = new();
    private readonly Dictionary<string, QueueEntry> running = new(StringComparer.Ordinal);
    private long nextSequence;
    private long enqueued;
    private long started;
    private long finished;
    private IGrainTimer? keepAlive;
    private bool retryScheduled;

    private string Name => this.GetPrimaryKeyString();

    private int MaxConcurrency => settings.State.MaxConcurrency ?? options.Value.DefaultMaxConcurrency;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await grains.GetGrain<IQueueDirectoryGrain>(0).Register(Name);
    }

    Task<long> IQueueGrain.Enqueue(string taskId, int priority)
    {
        if (backlog.TryGet(taskId, out var waiting))
        {
            return Task.FromResult(waiting.Sequence);
        }

        if (running.TryGetValue(taskId, out var dispatched))
        {
            return Task.FromResult(dispatched.Sequence);
        }

        var entry = new QueueEntry(taskId, Math.Clamp(priority, TaskLimits.MinPriority, TaskLimits.MaxPriority), nextSequence++);
        backlog.Add(entry);
        enqueued++;
        Dispatch();
        return Task.FromResult(entry.Sequence);
    }

    Task IQueueGrain.Leave(string taskId)
    {
        if (running.Remove(taskId))
        {
            finished++;
            Dispatch();
        }
        else
        {
            backlog.Remove(taskId);
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

        UpdateKeepAlive();
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

        if (result != StartResult.Accepted && running.Remove(entry.TaskId))
        {
            finished++;
            Dispatch();
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

    /// <summary>Keeps the activation alive while it holds work, so the backlog is never collected with it.</summary>
    private void UpdateKeepAlive()
    {
        var holdsWork = backlog.Count > 0 || running.Count > 0;
        if (holdsWork && keepAlive is null)
        {
            keepAlive = this.RegisterGrainTimer(
                static (_, _) => Task.CompletedTask,
                this,
                new GrainTimerCreationOptions { DueTime = TimeSpan.FromMinutes(1), Period = TimeSpan.FromMinutes(1), KeepAlive = true });
        }
        else if (!holdsWork && keepAlive is not null)
        {
            keepAlive.Dispose();
            keepAlive = null;
        }

    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue {Queue} could not start task {TaskId}; it stays queued and is retried")]
    private static partial void LogStartFailed(ILogger logger, Exception exception, string queue, string taskId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Queue {Queue} configured: maxConcurrency {MaxConcurrency}, paused {Paused}")]
    private static partial void LogConfigured(ILogger logger, string queue, int maxConcurrency, bool paused);
}
