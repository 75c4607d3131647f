using System.Net.ServerSentEvents;
using Oee.Benchmarks.Targets;
using Oee.Grains.Client;

namespace Oee.Benchmarks.Load;

/// <summary>
/// A subscriber to every event of one queue while a run drains it: through the target's Orleans
/// event feed (in-process silo host, Orleans client) or over SSE (<c>GET /api/events?queue=</c>).
/// Counts what it receives; reading costs the watcher, never the drain's callers.
/// </summary>
internal sealed class EventWatch : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly IDisposable? owned;
    private Task reading = Task.CompletedTask;
    private long received;

    private EventWatch(IDisposable? owned) => this.owned = owned;

    public long Received => Interlocked.Read(ref received);

    public static async Task<EventWatch> StartAsync(IBenchTarget target, string queue, CancellationToken cancellationToken)
    {
        switch (target)
        {
            case OrchestratorTarget { Events: { } source }:
            {
                var subscription = await source.SubscribeAsync(TaskEventFilter.ForQueue(queue), cancellationToken: cancellationToken);
                var watch = new EventWatch(subscription);
                watch.reading = Task.Run(async () =>
                {
                    await foreach (var _ in subscription.ReadAllAsync(watch.stop.Token))
                    {
                        Interlocked.Increment(ref watch.received);
                    }
                });
                return watch;
            }

            case RestTarget rest:
            {
                var http = new HttpClient
                {
                    BaseAddress = rest.BaseAddress,
                    Timeout = Timeout.InfiniteTimeSpan,
                    DefaultRequestVersion = rest.RequestVersion,
                    DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
                };
                var watch = new EventWatch(http);
                var response = await http.GetAsync($"/api/events?queue={Uri.EscapeDataString(queue)}", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                response.EnsureSuccessStatusCode();
                var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
                watch.reading = Task.Run(async () =>
                {
                    using (response)
                    {
                        await foreach (var item in SseParser.Create(stream).EnumerateAsync(watch.stop.Token))
                        {
                            if (item.EventType == "task")
                            {
                                Interlocked.Increment(ref watch.received);
                            }
                        }
                    }
                });
                return watch;
            }

            default:
                throw new InvalidOperationException($"{target.Description} offers no event subscription.");
        }
    }

    /// <summary>Waits until at least <paramref name="expected"/> events arrived (or the wait limit passes); answers how many did.</summary>
    public async Task<long> WaitForAsync(long expected, TimeSpan limit, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + limit;
        while (Received < expected && DateTime.UtcNow < deadline && !reading.IsCompleted)
        {
            await Task.Delay(50, cancellationToken);
        }

        return Received;
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await reading.ContinueWith(static _ => { }, TaskScheduler.Default);
        owned?.Dispose();
        stop.Dispose();
    }
}
