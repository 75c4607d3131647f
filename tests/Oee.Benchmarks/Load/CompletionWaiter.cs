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
    public static async Task<TimeSpan> WaitForFinishedAsync(
        IBenchTarget target,
        string queue,
        long expected,
        long startTimestamp,
        TimeSpan stallTimeout,
        CancellationToken cancellationToken)
    {
        var lastFinished = -1L;
        var lastProgress = Stopwatch.GetTimestamp();
        while (true)
        {
            var counters = await target.GetQueueAsync(queue, cancellationToken);
            if (counters.Finished >= expected)
            {
                return Stopwatch.GetElapsedTime(startTimestamp);
            }

            if (counters.Finished != lastFinished)
            {
                lastFinished = counters.Finished;
                lastProgress = Stopwatch.GetTimestamp();
            }
            else if (Stopwatch.GetElapsedTime(lastProgress) > stallTimeout)
            {
                throw new TimeoutException(
                    $"Queue {queue} stalled: {counters.Finished} of {expected} finished, {counters.Pending} pending, {counters.Running} running, " +
                    $"nothing finished for {stallTimeout.TotalSeconds:0} s ({target.Description}).");
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }
}
