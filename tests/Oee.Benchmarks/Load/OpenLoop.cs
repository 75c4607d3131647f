using System.Diagnostics;
using Oee.Benchmarks.Targets;

namespace Oee.Benchmarks.Load;

/// <summary>
/// Submits at a fixed rate whatever the answers do (open loop): submit i is sent at i/rate
/// seconds, without waiting for earlier ones. The pacing sleeps (no spinning, which would steal
/// a core from the engine), so sends come in small bursts of what fell due during a ~1 ms sleep.
/// </summary>
internal static class OpenLoop
{
    public static Task<OpenLoopResult> SubmitAsync(
        IBenchTarget target,
        string queue,
        string handler,
        string input,
        double rate,
        int count,
        CancellationToken cancellationToken) =>
        SubmitAsync((_, ct) => target.SubmitAsync(queue, handler, input, ct), rate, count, cancellationToken);

    /// <summary>
    /// The same for any submit: <paramref name="submit"/> gets the submit's index and returns an id
    /// (peers return the index itself). A submit that completes synchronously (Hangfire's client API)
    /// holds the loop while it runs, so such submits are sequential.
    /// </summary>
    public static async Task<OpenLoopResult> SubmitAsync(
        Func<int, CancellationToken, Task<string>> submit,
        double rate,
        int count,
        CancellationToken cancellationToken)
    {
        var result = new OpenLoopResult(TimeSpan.Zero, new string[count], new DateTimeOffset[count], new double[count]);
        var inFlight = new List<Task>(count);
        var clock = Stopwatch.StartNew();
        var sent = 0;
        var lastSendAt = TimeSpan.Zero;
        while (sent < count)
        {
            var due = Math.Min(count, (int)Math.Floor(clock.Elapsed.TotalSeconds * rate) + 1);
            for (; sent < due; sent++)
            {
                inFlight.Add(TimedSubmitAsync(submit, result, sent, cancellationToken));
            }

            lastSendAt = clock.Elapsed;
            if (sent < count)
            {
                var wait = TimeSpan.FromSeconds(sent / rate) - clock.Elapsed;
                await Task.Delay(wait > TimeSpan.FromMilliseconds(1) ? wait : TimeSpan.FromMilliseconds(1), cancellationToken);
            }
        }

        await Task.WhenAll(inFlight);
        return result with { Elapsed = lastSendAt };
    }

    private static async Task TimedSubmitAsync(
        Func<int, CancellationToken, Task<string>> submit, OpenLoopResult result, int index, CancellationToken cancellationToken)
    {
        result.SentAt[index] = DateTimeOffset.UtcNow;
        var start = Stopwatch.GetTimestamp();
        result.Ids[index] = await submit(index, cancellationToken);
        result.SubmitCallMs[index] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }
}
