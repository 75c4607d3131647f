using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Oee.Grains.Client;
using Oee.Grains.Configuration;
using Oee.Grains.Contracts;
using Orleans.Runtime;

namespace Oee.Grains.Events;

/// <summary>
/// This process's view of the cluster's events (<see cref="ITaskEventSource"/>). Started by the first
/// subscription: it subscribes one observer to every silo's hub (renewed every
/// <see cref="OeeEventOptions.RefreshInterval"/>, which also finds new silos), numbers what arrives,
/// keeps the last <see cref="OeeEventOptions.FeedWindow"/> for resuming, and hands each event to the
/// subscriptions it matches (indexed by task and by queue, so a watcher costs nothing for events it
/// does not watch). One task's events arrive in version order: an event whose predecessor has not
/// arrived yet (its task moved between silos) is held until it has, for at most <see cref="HoldLimit"/>.
/// </summary>
internal sealed partial class TaskEventFeed(IGrainFactory grains, IOptions<OeeEventOptions> options, ILogger<TaskEventFeed> logger)
    : ITaskEventSource, ITaskEventObserver, IAsyncDisposable
{
    /// <summary>The longest an event waits for its task's earlier event.</summary>
    public static readonly TimeSpan HoldLimit = TimeSpan.FromSeconds(1);

    private const int MaxTrackedTasks = 200_000;

    private readonly Lock gate = new();
    private readonly SemaphoreSlim starting = new(1, 1);
    private readonly CancellationTokenSource stopping = new();
    private readonly OeeEventOptions settings = options.Value;
    private TaskEvent[]? window;

    // Ids count on from a number this process takes at its start (its start time, in microseconds since 1970), not
    // from 0: an id a client kept from an earlier run of this node is then lower than every id of this run, so it is
    // out of the window and its stream gets a reset, instead of resuming after an unrelated event of this run.
    private readonly long idsAfter = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds() * 1000;

    // Events numbered here so far (under the lock); the last one's id is idsAfter + numbered.
    private long numbered;

    private long LastId => idsAfter + numbered;

    // Per silo: the ring number of the last event received.
    private readonly Dictionary<string, long> silos = new(StringComparer.Ordinal);

    // Subscriptions by what they watch.
    private readonly List<TaskEventSubscription> all = [];
    private readonly Dictionary<string, List<TaskEventSubscription>> byQueue = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<TaskEventSubscription>> byTask = new(StringComparer.Ordinal);

    // Ordering of one task's events: the last version handed on, and events held for a missing one.
    private readonly Dictionary<string, long> lastVersion = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (DateTimeOffset Since, SortedList<long, TaskEvent> Events)> held = new(StringComparer.Ordinal);

    private ITaskEventObserver? self;
    private int disposed;
    private Task? refreshing;

    public long LastEventId
    {
        get
        {
            lock (gate)
            {
                return LastId;
            }
        }
    }

    public async Task<TaskEventSubscription> SubscribeAsync(TaskEventFilter filter, long? afterEventId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await EnsureStartedAsync(cancellationToken);
        lock (gate)
        {
            var replay = new List<TaskEvent>();
            var missed = false;
            if (afterEventId is { } after)
            {
                var last = LastId;
                var oldest = Math.Max(idsAfter + 1, last - window!.Length + 1);
                if (after > last || after < oldest - 1)
                {
                    missed = true;
                }
                else
                {
                    for (var id = after + 1; id <= last; id++)
                    {
                        var taskEvent = window[id % window.Length];
                        if (filter.Matches(taskEvent))
                        {
                            replay.Add(taskEvent);
                        }
                    }
                }
            }

            var subscription = new TaskEventSubscription(filter, settings.SubscriberBuffer + replay.Count, missed, Remove) { Replayed = replay.Count };
            foreach (var taskEvent in replay)
            {
                subscription.Offer(taskEvent);
            }

            ListOf(filter).Add(subscription);
            return subscription;
        }
    }

    Task ITaskEventObserver.OnEvents(SiloEventBatch batch)
    {
        lock (gate)
        {
            silos[batch.Silo] = batch.First + batch.Events.Length - 1;
            if (batch.Skipped > 0)
            {
                LogSkipped(logger, batch.Skipped, batch.Silo);
            }

            foreach (var taskEvent in batch.Events)
            {
                Arrived(taskEvent);
            }
        }

        return Task.CompletedTask;
    }

    private void Arrived(TaskEvent taskEvent)
    {
        var task = taskEvent.TaskId;
        if (lastVersion.TryGetValue(task, out var last) && taskEvent.Version > last + 1)
        {
            if (!held.TryGetValue(task, out var waiting))
            {
                waiting = (DateTimeOffset.UtcNow, new SortedList<long, TaskEvent>());
                held[task] = waiting;
            }

            waiting.Events[taskEvent.Version] = taskEvent;
            return;
        }

        HandOn(taskEvent);
        if (held.TryGetValue(task, out var pending))
        {
            while (pending.Events.Count > 0 && pending.Events.Keys[0] <= lastVersion.GetValueOrDefault(task) + 1)
            {
                var next = pending.Events.Values[0];
                pending.Events.RemoveAt(0);
                HandOn(next);
            }

            if (pending.Events.Count == 0)
            {
                held.Remove(task);
            }
        }
    }

    /// <summary>Hands on the held events whose wait ended, in version order.</summary>
    private void ReleaseExpiredHolds()
    {
        lock (gate)
        {
            var limit = DateTimeOffset.UtcNow - HoldLimit;
            foreach (var (task, waiting) in held.Where(h => h.Value.Since <= limit).ToList())
            {
                held.Remove(task);
                foreach (var taskEvent in waiting.Events.Values)
                {
                    HandOn(taskEvent);
                }
            }
        }
    }

    private void HandOn(TaskEvent arrived)
    {
        var task = arrived.TaskId;
        if (arrived.IsFinal)
        {
            lastVersion.Remove(task);
        }
        else
        {
            if (lastVersion.Count >= MaxTrackedTasks && !lastVersion.ContainsKey(task))
            {
                lastVersion.Clear();
            }

            lastVersion[task] = Math.Max(arrived.Version, lastVersion.GetValueOrDefault(task));
        }

        numbered++;
        var taskEvent = arrived with { Id = LastId };
        window![taskEvent.Id % window.Length] = taskEvent;
        Offer(all, taskEvent);
        if (byQueue.TryGetValue(taskEvent.Queue, out var queueWatchers))
        {
            Offer(queueWatchers, taskEvent);
        }

        if (byTask.TryGetValue(task, out var taskWatchers))
        {
            Offer(taskWatchers, taskEvent);
        }
    }

    private static void Offer(List<TaskEventSubscription> watchers, TaskEvent taskEvent)
    {
        for (var i = watchers.Count - 1; i >= 0; i--)
        {
            var watcher = watchers[i];
            if (watcher.Filter.Matches(taskEvent) && !watcher.Offer(taskEvent))
            {
                watchers.RemoveAt(i);
            }
        }
    }

    private List<TaskEventSubscription> ListOf(TaskEventFilter filter)
    {
        if (filter.TaskId is { } task)
        {
            return byTask.TryGetValue(task, out var list) ? list : byTask[task] = [];
        }

        if (filter.Queue is { } queue)
        {
            return byQueue.TryGetValue(queue, out var list) ? list : byQueue[queue] = [];
        }

        return all;
    }

    private void Remove(TaskEventSubscription subscription)
    {
        lock (gate)
        {
            var list = ListOf(subscription.Filter);
            list.Remove(subscription);
            if (list.Count == 0)
            {
                if (subscription.Filter.TaskId is { } task)
                {
                    byTask.Remove(task);
                }
                else if (subscription.Filter.Queue is { } queue)
                {
                    byQueue.Remove(queue);
                }
            }
        }
    }

    private async Task EnsureStartedAsync(CancellationToken cancellationToken)
    {
        if (refreshing is not null)
        {
            return;
        }

        await starting.WaitAsync(cancellationToken);
        try
        {
            if (refreshing is not null)
            {
                return;
            }

            window = new TaskEvent[settings.FeedWindow];
            self = grains.CreateObjectReference<ITaskEventObserver>(this);
            await RefreshAsync(initial: true);
            refreshing = Task.Run(RefreshLoop, CancellationToken.None);
        }
        finally
        {
            starting.Release();
        }
    }

    private async Task RefreshLoop()
    {
        var holdCheck = TimeSpan.FromMilliseconds(200);
        var nextRefresh = DateTimeOffset.UtcNow + settings.RefreshInterval;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(holdCheck, stopping.Token);
                ReleaseExpiredHolds();
                if (DateTimeOffset.UtcNow >= nextRefresh)
                {
                    nextRefresh = DateTimeOffset.UtcNow + settings.RefreshInterval;
                    await RefreshAsync(initial: false);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogRefreshFailed(logger, ex, ex.Message);
            }
        }
    }

    /// <summary>Subscribes to (or renews with) every active silo; silos first seen after the start are read from their ring's beginning.</summary>
    private async Task RefreshAsync(bool initial)
    {
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        var active = hosts.Keys.Select(s => s.ToParsableString()).ToHashSet(StringComparer.Ordinal);
        var renewals = new List<Task>();
        foreach (var silo in active)
        {
            long? after;
            lock (gate)
            {
                after = silos.TryGetValue(silo, out var last) ? last : initial ? null : 0;
            }

            renewals.Add(Subscribe(silo, after));
        }

        await Task.WhenAll(renewals);
        lock (gate)
        {
            foreach (var gone in silos.Keys.Where(s => !active.Contains(s)).ToList())
            {
                silos.Remove(gone);
            }
        }
    }

    private async Task Subscribe(string silo, long? after)
    {
        try
        {
            var at = await grains.GetGrain<ISiloEventHubGrain>(silo).Subscribe(self!, after);
            lock (gate)
            {
                silos.TryAdd(silo, at);
            }
        }
        catch (Exception ex)
        {
            LogSubscribeFailed(logger, ex, silo, ex.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Registered as itself and as ITaskEventSource: the container disposes it twice.
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        await stopping.CancelAsync();
        if (refreshing is { } loop)
        {
            await loop.ContinueWith(static _ => { }, TaskScheduler.Default);
        }

        if (self is not null)
        {
            grains.DeleteObjectReference<ITaskEventObserver>(self);
        }

        stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Missed {Count} events of silo {Silo}: this process fell behind its ring (Oee:Events:SiloRingSize)")]
    private static partial void LogSkipped(ILogger logger, long count, string silo);

    [LoggerMessage(Level = LogLevel.Information, Message = "Could not subscribe to the events of silo {Silo} ({Reason}); trying again at the next refresh")]
    private static partial void LogSubscribeFailed(ILogger logger, Exception exception, string silo, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refreshing the event subscriptions failed ({Reason}); trying again")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception, string reason);
}
