using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Oee.Grains.Configuration;
using Orleans.Runtime;

namespace Oee.Grains.Events;

/// <summary>
/// Sends this silo's events to its subscribers: one loop per subscriber reads the ring from that
/// subscriber's place and sends what is there in one call (so a busy silo sends big batches, a quiet
/// one sends each event at once), waiting for each call before the next. A slow subscriber falls
/// behind on its own and skips what the ring overwrote; the task grains never wait for any of it.
/// A subscriber that stops renewing, or fails five calls in a row, is dropped.
/// </summary>
internal sealed partial class SiloEventPump(
    SiloEventRing ring,
    ILocalSiloDetails silo,
    IOptions<OeeEventOptions> options,
    ILogger<SiloEventPump> logger) : IAsyncDisposable
{
    private const int MaxBatch = 1_024;
    private const int MaxFailures = 5;
    private static readonly TimeSpan ExpiryCheck = TimeSpan.FromSeconds(1);

    private readonly Lock gate = new();
    private readonly Dictionary<GrainId, Subscriber> subscribers = [];
    private readonly CancellationTokenSource stopping = new();

    public long Subscribe(ITaskEventObserver observer, long? after)
    {
        var key = observer.GetGrainId();
        var expiresAt = DateTimeOffset.UtcNow + options.Value.SubscriptionExpiry;
        lock (gate)
        {
            if (subscribers.TryGetValue(key, out var existing) && !existing.Ended)
            {
                existing.ExpiresAt = expiresAt;
                return existing.Cursor;
            }

            var last = ring.Last;
            var subscriber = new Subscriber(observer, after is { } a ? Math.Min(a, last) : last) { ExpiresAt = expiresAt };
            subscribers[key] = subscriber;
            subscriber.Loop = Task.Run(() => Pump(key, subscriber));
            LogSubscribed(logger, key.ToString(), subscriber.Cursor);
            return subscriber.Cursor;
        }
    }

    public void Unsubscribe(ITaskEventObserver observer)
    {
        lock (gate)
        {
            if (subscribers.Remove(observer.GetGrainId(), out var subscriber))
            {
                subscriber.Ended = true;
            }
        }
    }

    private async Task Pump(GrainId key, Subscriber subscriber)
    {
        var siloName = silo.SiloAddress.ToParsableString();
        var failures = 0;
        try
        {
            while (!stopping.IsCancellationRequested && !subscriber.Ended && DateTimeOffset.UtcNow < subscriber.ExpiresAt)
            {
                try
                {
                    await ring.WaitAfterAsync(subscriber.Cursor, stopping.Token).WaitAsync(ExpiryCheck);
                }
                catch (TimeoutException)
                {
                    continue;
                }

                var (events, first) = ring.ReadAfter(subscriber.Cursor, MaxBatch);
                if (events.Length == 0)
                {
                    continue;
                }

                try
                {
                    await subscriber.Observer.OnEvents(new SiloEventBatch(siloName, first, events, first - subscriber.Cursor - 1));
                    subscriber.Cursor = first + events.Length - 1;
                    failures = 0;
                }
                catch (Exception ex) when (!stopping.IsCancellationRequested)
                {
                    if (++failures >= MaxFailures)
                    {
                        LogDropped(logger, ex, key.ToString(), failures);
                        break;
                    }

                    await Task.Delay(TimeSpan.FromMilliseconds(200 * failures), stopping.Token);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        finally
        {
            lock (gate)
            {
                subscriber.Ended = true;
                if (subscribers.TryGetValue(key, out var current) && ReferenceEquals(current, subscriber))
                {
                    subscribers.Remove(key);
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        Task[] loops;
        lock (gate)
        {
            loops = [.. subscribers.Values.Select(s => s.Loop).OfType<Task>()];
        }

        await Task.WhenAll(loops).WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(static _ => { }, TaskScheduler.Default);
        stopping.Dispose();
    }

    private sealed class Subscriber(ITaskEventObserver observer, long cursor)
    {
        public ITaskEventObserver Observer { get; } = observer;

        public long Cursor { get; set; } = cursor;

        public DateTimeOffset ExpiresAt { get; set; }

        public bool Ended { get; set; }

        public Task? Loop { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Event subscriber {Subscriber} subscribed at ring number {Cursor}")]
    private static partial void LogSubscribed(ILogger logger, string subscriber, long cursor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event subscriber {Subscriber} dropped after {Failures} failed sends")]
    private static partial void LogDropped(ILogger logger, Exception exception, string subscriber, int failures);
}
