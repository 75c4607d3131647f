using System.Diagnostics;
using Oee.Benchmarks.Targets;

namespace Oee.Benchmarks.Load;

/// <summary>Polls a queue's counters until the expected number of its tasks has finished.</summary>
internal static class CompletionWaiter
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// Waits until <c>Finished</c> reaches <paramref name="expected"/>; returns the time since
    /// <paramref name="startTimestamp"/> (a <see cref="Stopwatch"/> timestamp) when that was seen.
    /// Fails when nothing finishes for <paramref name="stallTimeout"/>.
    /// </summary>
    public static Task<TimeSpan> WaitForFinishedAsync(
        IBenchTarget target,
        string queue,
        long expected,
        long startTimestamp,
        TimeSpan stallTimeout,
        CancellationToken cancellationToken) =>
        WaitUntilAsync(
            async ct => (await target.GetQueueAsync(queue, ct)).Finished,
            expected,
            startTimestamp,
            stallTimeout,
            PollInterval,
            async (finished, ct) =>
            {
                var counters = await target.GetQueueAsync(queue, ct);
                return $"Queue {queue} stalled: {finished} of {expected} finished, {counters.Pending} pending, {counters.Running} running, " +
                    $"nothing finished for {stallTimeout.TotalSeconds:0} s ({target.Description}).";
            },
            cancellationToken);

    /// <summary>
    /// The same for any counter of finished work (a peer's own count of succeeded jobs): polls
    /// <paramref name="finished"/> every <paramref name="pollInterval"/> until it reaches
    /// <paramref name="expected"/>; fails with <paramref name="describeStall"/>'s message when it does
    /// not move for <paramref name="stallTimeout"/>.
    /// </summary>
    public static async Task<TimeSpan> WaitUntilAsync(
        Func<CancellationToken, Task<long>> finished,
        long expected,
        long startTimestamp,
        TimeSpan stallTimeout,
        TimeSpan pollInterval,
        Func<long, CancellationToken, Task<string>> describeStall,
        CancellationToken cancellationToken)
    {
        var lastFinished = -1L;
        var lastProgress = Stopwatch.GetTimestamp();
        while (true)
        {
            var now = await finished(cancellationToken);
            if (now >= expected)
            {
                return Stopwatch.GetElapsedTime(startTimestamp);
            }

            if (now != lastFinished)
            {
                lastFinished = now;
                lastProgress = Stopwatch.GetTimestamp();
            }
            else if (Stopwatch.GetElapsedTime(lastProgress) > stallTimeout)
            {
                throw new TimeoutException(await describeStall(now, cancellationToken));
            }

            await Task.Delay(pollInterval, cancellationToken);
        }
    }
}
