using System.Collections.Concurrent;
using System.Diagnostics;
using Oee.Benchmarks.Targets;

namespace Oee.Benchmarks.Load;

/// <summary>One submit of an open-loop run: when it was sent (seconds from the run's start) and its round trip, ms.</summary>
internal readonly record struct TimedSubmit(double SentAtSeconds, double CallMs);

/// <summary>
/// Submits at a fixed rate, like <see cref="OpenLoop"/>, for as long as the caller says: submit i is
/// sent at i/rate seconds whatever earlier answers do, until <c>keepGoing</c> answers false (asked
/// before each burst of sends). Waits for every answer, then returns the submits in send order.
/// </summary>
internal static class OpenLoopUntil
{
    public static async Task<IReadOnlyList<TimedSubmit>> SubmitAsync(
        IBenchTarget target,
        string queue,
        string handler,
        string input,
        double rate,
        Func<TimeSpan, bool> keepGoing,
        CancellationToken cancellationToken)
    {
        var results = new ConcurrentDictionary<int, TimedSubmit>();
        var inFlight = new List<Task>();
        var clock = Stopwatch.StartNew();
        var sent = 0;
        while (keepGoing(clock.Elapsed))
        {
            var due = (int)Math.Floor(clock.Elapsed.TotalSeconds * rate) + 1;
            for (; sent < due; sent++)
            {
                inFlight.Add(TimedSubmitAsync(target, queue, handler, input, clock, sent, results, cancellationToken));
            }

            var wait = TimeSpan.FromSeconds(sent / rate) - clock.Elapsed;
            await Task.Delay(wait > TimeSpan.FromMilliseconds(1) ? wait : TimeSpan.FromMilliseconds(1), cancellationToken);
        }

        await Task.WhenAll(inFlight);
        return [.. results.OrderBy(r => r.Key).Select(r => r.Value)];
    }

    private static async Task TimedSubmitAsync(
        IBenchTarget target,
        string queue,
        string handler,
        string input,
        Stopwatch clock,
        int index,
        ConcurrentDictionary<int, TimedSubmit> results,
        CancellationToken cancellationToken)
    {
        var sentAt = clock.Elapsed.TotalSeconds;
        var start = Stopwatch.GetTimestamp();
        await target.SubmitAsync(queue, handler, input, cancellationToken);
        results[index] = new TimedSubmit(sentAt, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    }
}
