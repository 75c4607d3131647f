using System.Threading.Channels;
using Oee.Grains.Contracts;

namespace Oee.Grains.Client;

/// <summary>
/// Task events as this process sees them (a silo host or an Orleans client): subscribe to one task,
/// one queue or all. The process receives every silo's events once, numbers them (<see cref="TaskEvent.Id"/>)
/// and keeps the last <c>Oee:Events:FeedWindow</c> to resume from. See README "Events, progress and webhooks".
/// </summary>
public interface ITaskEventSource
{
    /// <summary>The id of the newest event this process has numbered (0 before any).</summary>
    long LastEventId { get; }

    /// <summary>
    /// Subscribes. With <paramref name="afterEventId"/> the subscription first replays the matching
    /// events after it that are still in the window (<see cref="TaskEventSubscription.ResumeMissed"/>
    /// says when it no longer is), then goes on live; without, it starts now. Events of one task come
    /// in version order. Dispose the subscription to end it.
    /// </summary>
    Task<TaskEventSubscription> SubscribeAsync(TaskEventFilter filter, long? afterEventId = null, CancellationToken cancellationToken = default);
}

/// <summary>Which events a subscription receives: one task's, one queue's, or all (both null); with <see cref="Tenant"/>, only that tenant's.</summary>
/// <param name="TaskId">Only this task's events.</param>
/// <param name="Queue">Only this queue's events.</param>
public sealed record TaskEventFilter(string? TaskId = null, string? Queue = null)
{
    /// <summary>Only the events of this tenant's tasks (null: any tenant's, and tasks without one).</summary>
    public string? Tenant { get; init; }

    /// <summary>Every event.</summary>
    public static TaskEventFilter All { get; } = new();

    /// <summary>One task's events.</summary>
    public static TaskEventFilter ForTask(string taskId) => new(TaskId: taskId);

    /// <summary>One queue's events.</summary>
    public static TaskEventFilter ForQueue(string queue) => new(Queue: queue);

    /// <summary>Whether the event passes the filter.</summary>
    public bool Matches(TaskEvent taskEvent)
    {
        ArgumentNullException.ThrowIfNull(taskEvent);
        return (TaskId is null || string.Equals(TaskId, taskEvent.TaskId, StringComparison.Ordinal))
            && (Queue is null || string.Equals(Queue, taskEvent.Queue, StringComparison.Ordinal))
            && (Tenant is null || string.Equals(Tenant, taskEvent.Tenant, StringComparison.Ordinal));
    }
}

/// <summary>One subscription to task events; dispose it to end it.</summary>
public sealed class TaskEventSubscription : IDisposable
{
    private readonly Channel<TaskEvent> events;
    private readonly Action<TaskEventSubscription> onDispose;
    private int disposed;

    internal TaskEventSubscription(TaskEventFilter filter, int capacity, bool resumeMissed, Action<TaskEventSubscription> onDispose)
    {
        Filter = filter;
        ResumeMissed = resumeMissed;
        this.onDispose = onDispose;
        events = Channel.CreateBounded<TaskEvent>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    }

    /// <summary>The filter.</summary>
    public TaskEventFilter Filter { get; }

    /// <summary>True when an id to resume after was given but is no longer in the window (or was never numbered here): events may be missing before the first one read.</summary>
    public bool ResumeMissed { get; }

    /// <summary>
    /// How many of the first events read are the replay of those after the id to resume after (already numbered when the
    /// subscription began); the rest are live. 0 without an id, or when <see cref="ResumeMissed"/>.
    /// </summary>
    public int Replayed { get; internal set; }

    /// <summary>True when the subscription fell too far behind (<c>Oee:Events:SubscriberBuffer</c> unread) and was ended: resume after the last id read.</summary>
    public bool Lagged { get; private set; }

    /// <summary>The events in order, until the subscription is disposed or lags.</summary>
    public IAsyncEnumerable<TaskEvent> ReadAllAsync(CancellationToken cancellationToken = default) => events.Reader.ReadAllAsync(cancellationToken);

    /// <summary>Offers one event; false (and the subscription ends as lagged) when its buffer is full.</summary>
    internal bool Offer(TaskEvent taskEvent)
    {
        if (events.Writer.TryWrite(taskEvent))
        {
            return true;
        }

        Lagged = true;
        events.Writer.TryComplete();
        return false;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0)
        {
            events.Writer.TryComplete();
            onDispose(this);
        }
    }
}
