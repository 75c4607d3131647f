using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Oee.Grains.Cluster.Placement;
using Orleans.Configuration;
using Orleans.Runtime;
using Polly;
using Polly.Timeout;

namespace Oee.Grains.Tests.Cluster.Placement;

/// <summary>
/// OEE's placement pipeline keeps what Orleans' own gives a placement: its silo, a timeout over the placement
/// with its retries, retries of transient failures with growing waits, and Orleans' stop not taken for a timeout.
/// </summary>
public sealed class PlacementGuardStrategyTests : IDisposable
{
    private static readonly SiloAddress Silo = SiloAddress.New(IPAddress.Loopback, 11111, 1);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider time = new();
    private readonly FakeLogCollector logs = new();
    private readonly CancellationTokenSource stop = new();
    private readonly ILoggerFactory loggers;
    private int attempts;

    public PlacementGuardStrategyTests() =>
        loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(new FakeLoggerProvider(logs)));

    public void Dispose()
    {
        loggers.Dispose();
        stop.Dispose();
    }

    [Fact]
    public async Task A_placement_that_ends_at_once_answers_its_silo()
    {
        var outcome = await Place(Pipeline(), _ => ValueTask.FromResult(Silo));

        Assert.Null(outcome.Exception);
        Assert.Equal(Silo, outcome.Result);
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task A_placement_past_its_timeout_fails_as_Orleans_placement_timeout_and_is_not_retried()
    {
        var timeout = TimeSpan.FromSeconds(30);
        CancellationToken seen = default;
        var placing = Place(Pipeline(timeout), async token =>
        {
            seen = token;
            await Task.Delay(Timeout.InfiniteTimeSpan, token);
            return Silo;
        });
        Assert.True(seen.CanBeCanceled);

        time.Advance(timeout - TimeSpan.FromMilliseconds(1));
        Assert.False(seen.IsCancellationRequested);
        time.Advance(timeout / 30 + TimeSpan.FromMilliseconds(1));

        var outcome = await placing.WaitAsync(Patience);
        var timedOut = Assert.IsType<TimeoutRejectedException>(outcome.Exception);
        Assert.Equal(timeout, timedOut.Timeout);
        Assert.IsAssignableFrom<OperationCanceledException>(timedOut.InnerException);
        Assert.Equal(1, attempts);
        Assert.Contains(logs.GetSnapshot(), r => r.Level == LogLevel.Warning && r.Message.Contains("timed out", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Transient_failures_are_retried_after_growing_waits()
    {
        var placing = Place(Pipeline(retries: 3, baseDelay: TimeSpan.FromMilliseconds(100)), _ =>
            attempts <= 3 ? throw new OrleansException("directory partition moving") : ValueTask.FromResult(Silo));
        var outcome = await UntilDone(placing);

        Assert.Equal(Silo, outcome.Result);
        Assert.Equal(4, attempts);
        var retries = logs.GetSnapshot().Where(r => r.StructuredState?.Any(s => s.Key == "Delay") == true).ToList();
        Assert.All(retries, r => Assert.Equal(LogLevel.Warning, r.Level));
        var waits = retries.Select(r => r.StructuredState!.Single(s => s.Key == "Delay").Value).Select(v => TimeSpan.Parse(v!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(3, waits.Count);
        Assert.InRange(waits[0], TimeSpan.FromMilliseconds(75), TimeSpan.FromMilliseconds(125));
        Assert.InRange(waits[1], TimeSpan.FromMilliseconds(150), TimeSpan.FromMilliseconds(250));
        Assert.InRange(waits[2], TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(500));
    }

    [Fact]
    public async Task A_timeout_inside_the_placement_is_transient_too()
    {
        var outcome = await UntilDone(Place(Pipeline(retries: 1), _ =>
            attempts == 1 ? throw new TimeoutException("directory lookup timed out") : ValueTask.FromResult(Silo)));

        Assert.Equal(Silo, outcome.Result);
        Assert.Equal(2, attempts);
    }

    [Fact]
    public async Task Retries_stop_at_the_configured_number_with_the_last_failure()
    {
        var outcome = await UntilDone(Place(Pipeline(retries: 2), _ => throw new OrleansException("attempt " + attempts)));

        Assert.Equal(3, attempts);
        Assert.Equal("attempt 3", Assert.IsType<OrleansException>(outcome.Exception).Message);
    }

    [Fact]
    public async Task Without_retries_a_transient_failure_is_answered_at_once()
    {
        var outcome = await Place(Pipeline(retries: 0), _ => throw new OrleansException("no"));

        Assert.IsType<OrleansException>(outcome.Exception);
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task A_failure_that_is_not_transient_is_not_retried()
    {
        var outcome = await Place(Pipeline(), _ => throw new InvalidOperationException("no placement director"));

        Assert.IsType<InvalidOperationException>(outcome.Exception);
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task Retries_end_at_the_deadline_as_a_timeout()
    {
        // The first wait (2 s, give or take a quarter) outlasts the 1 s timeout.
        var placing = Place(Pipeline(TimeSpan.FromSeconds(1), retries: 3, baseDelay: TimeSpan.FromSeconds(2)), _ => throw new OrleansException("busy"));
        time.Advance(TimeSpan.FromSeconds(1.1));

        var outcome = await placing.WaitAsync(Patience);

        var timedOut = Assert.IsType<TimeoutRejectedException>(outcome.Exception);
        Assert.IsType<OrleansException>(timedOut.InnerException);
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task A_transient_failure_after_the_deadline_is_a_timeout_not_a_retry()
    {
        var timeout = TimeSpan.FromSeconds(30);
        var outcome = await Place(Pipeline(timeout), _ =>
        {
            // The directory answered only after the deadline, and with a failure worth retrying.
            time.Advance(timeout * 2);
            throw new OrleansException("directory partition moving");
        });

        var timedOut = Assert.IsType<TimeoutRejectedException>(outcome.Exception);
        Assert.IsType<OrleansException>(timedOut.InnerException);
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task The_silos_stop_ends_a_placement_without_calling_it_a_timeout()
    {
        var placing = Place(Pipeline(), async token =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, token);
            return Silo;
        });

        await stop.CancelAsync();

        var outcome = await placing.WaitAsync(Patience);
        Assert.IsAssignableFrom<OperationCanceledException>(outcome.Exception);
        Assert.IsNotType<TimeoutRejectedException>(outcome.Exception);
    }

    [Fact]
    public async Task Orleans_settings_set_the_pipeline()
    {
        // Orleans' defaults (30 s, 3 retries): a fourth failure is not retried.
        var outcome = await UntilDone(Place(Pipeline(messaging: new SiloMessagingOptions()), _ => throw new OrleansException("busy")));

        Assert.Equal(SiloMessagingOptions.DEFAULT_PLACEMENT_MAX_RETRIES + 1, attempts);
        Assert.IsType<OrleansException>(outcome.Exception);
    }

    private ResiliencePipeline<SiloAddress> Pipeline(TimeSpan? timeout = null, int retries = 3, TimeSpan? baseDelay = null, SiloMessagingOptions? messaging = null)
    {
        messaging ??= new SiloMessagingOptions
        {
            PlacementTimeout = timeout ?? TimeSpan.FromSeconds(30),
            PlacementMaxRetries = retries,
            PlacementRetryBaseDelay = baseDelay ?? TimeSpan.FromMilliseconds(100),
        };
        return PlacementGuardServices.Build(messaging, time, loggers);
    }

    // As Orleans calls its pipeline: the outcome of a placement that sees the context's token, with Orleans' stop token outside.
    private Task<Outcome<SiloAddress>> Place(ResiliencePipeline<SiloAddress> pipeline, Func<CancellationToken, ValueTask<SiloAddress>> place)
    {
        var context = ResilienceContextPool.Shared.Get(stop.Token);
        return pipeline.ExecuteOutcomeAsync(
            async (ctx, state) =>
            {
                Interlocked.Increment(ref state.Test.attempts);
                try
                {
                    return Outcome.FromResult(await state.Place(ctx.CancellationToken));
                }
                catch (Exception exception)
                {
                    return Outcome.FromException<SiloAddress>(exception);
                }
            },
            context,
            (Test: this, Place: place)).AsTask();
    }

    // Moves the clock on, a retry's wait at a time, until the placement has an outcome.
    private async Task<Outcome<SiloAddress>> UntilDone(Task<Outcome<SiloAddress>> placing)
    {
        var giveUp = DateTime.UtcNow + Patience;
        while (!placing.IsCompleted && DateTime.UtcNow < giveUp)
        {
            time.Advance(TimeSpan.FromMilliseconds(50));
            await Task.WhenAny(placing, Task.Delay(TimeSpan.FromMilliseconds(5)));
        }

        return await placing.WaitAsync(Patience);
    }
}
