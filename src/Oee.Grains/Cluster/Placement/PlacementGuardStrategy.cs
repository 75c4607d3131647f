using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Polly;
using Polly.Timeout;

namespace Oee.Grains.Cluster.Placement;

/// <summary>
/// Orleans' grain placement under a timeout, with retries of transient failures: what Orleans' own pipeline
/// (<c>Orleans.Placement</c>: Polly's timeout, then Polly's retry) does, at the cost of a clock read and a pooled
/// context for a placement that ends before its first await. Orleans' pipeline paid, per placement, a cancellation
/// source with its timer, a registration on Orleans' stop token and two strategies' telemetry; each new task is
/// one placement (README, "How it is built"). Here the deadline is shared by the placements of one window
/// (<see cref="PlacementDeadlines"/>), so it may come up to a thirtieth of the timeout late (a millisecond for a
/// timeout under 30 ms); as many retries of the same failures as Orleans', with exponential waits of OEE's own
/// jitter; and the exception types a caller sees are Orleans': a placement past its deadline fails with Polly's
/// <see cref="TimeoutRejectedException"/> (its inner exception the last failure), which Orleans turns into a
/// <see cref="TimeoutException"/> naming the grain. Each retry is logged at Warning, as Polly logs Orleans' retries.
/// </summary>
internal sealed partial class PlacementGuardStrategy : ResilienceStrategy<SiloAddress>
{
    private readonly PlacementGuardOptions options;
    private readonly PlacementDeadlines deadlines;
    private readonly TimeProvider time;
    private readonly ILogger logger;

    public PlacementGuardStrategy(PlacementGuardOptions options, TimeProvider time, ILogger logger)
    {
        this.options = options;
        this.time = time;
        this.logger = logger;
        deadlines = new PlacementDeadlines(time, options.Timeout);
    }

    /// <summary>Orleans' test of a placement failure worth another try.</summary>
    private static bool IsTransient(Exception exception) => exception is OrleansException or TimeoutException;

    protected override async ValueTask<Outcome<SiloAddress>> ExecuteCore<TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<SiloAddress>>> callback, ResilienceContext context, TState state)
    {
        // The placement sees the deadline's token in a context of its own (Polly lets only its own strategies
        // change a context's token); Orleans reads nothing else from it.
        var outer = context.CancellationToken;
        var deadline = deadlines.For(outer);
        var placement = ResilienceContextPool.Shared.Get(context.ContinueOnCapturedContext, deadline);
        try
        {
            for (var retry = 0; ; retry++)
            {
                Outcome<SiloAddress> outcome;
                try
                {
                    outcome = await callback(placement, state).ConfigureAwait(context.ContinueOnCapturedContext);
                }
                catch (Exception exception)
                {
                    outcome = Outcome.FromException<SiloAddress>(exception);
                }

                if (outcome.Exception is not { } failure || outer.IsCancellationRequested)
                {
                    return outcome;
                }

                if (deadline.IsCancellationRequested && (failure is OperationCanceledException || IsTransient(failure)))
                {
                    return TimedOut(failure);
                }

                if (retry >= options.MaxRetries || !IsTransient(failure))
                {
                    return outcome;
                }

                var delay = RetryDelay(retry);
                LogRetrying(logger, failure, retry + 1, delay);
                try
                {
                    await Task.Delay(delay, time, deadline).ConfigureAwait(context.ContinueOnCapturedContext);
                }
                catch (OperationCanceledException canceled)
                {
                    return outer.IsCancellationRequested ? Outcome.FromException<SiloAddress>(canceled) : TimedOut(failure);
                }
            }
        }
        finally
        {
            ResilienceContextPool.Shared.Return(placement);
        }
    }

    // Twice the last wait, give or take a quarter; never more than twice the timeout, since the deadline ends any wait
    // before that (it comes at most a thirtieth of the timeout, or 1 ms, after the timeout).
    private TimeSpan RetryDelay(int retry)
    {
        var exponential = options.RetryBaseDelay * Math.Pow(2, Math.Min(retry, 16));
        var jittered = exponential * (0.75 + (Random.Shared.NextDouble() / 2));
        var longest = options.Timeout * 2;
        return jittered < longest ? jittered : longest;
    }

    private Outcome<SiloAddress> TimedOut(Exception failure)
    {
        LogTimedOut(logger, options.Timeout);
        return Outcome.FromException<SiloAddress>(new TimeoutRejectedException(
            $"The placement did not complete within its timeout of {options.Timeout} (Orleans' SiloMessagingOptions.PlacementTimeout).",
            options.Timeout,
            failure));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Grain placement timed out after {Timeout}")]
    private static partial void LogTimedOut(ILogger logger, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Grain placement failed; retry {Retry} in {Delay}")]
    private static partial void LogRetrying(ILogger logger, Exception exception, int retry, TimeSpan delay);
}
