using System.Diagnostics;
using System.Runtime;

namespace Oee.Grains.WarmUp;

/// <summary>
/// One warm-up, bounded: its rounds, then a wait until the just-in-time compiler has been quiet for a
/// moment (the runtime recompiles hot methods in the background shortly after they became hot, so a
/// warm-up ends when that has finished, not when its last call returned), all within a time limit.
/// Shared by the silo's, the client's and the API's warm-ups, which each log the outcome in their own words.
/// </summary>
public static class WarmUpRun
{
    /// <summary>How long no method may be compiled for the compiler to count as quiet.</summary>
    public static readonly TimeSpan QuietWindow = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest the wait for a quiet compiler lasts, however busy it stays.</summary>
    public static readonly TimeSpan MaxSettle = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Runs <paramref name="rounds"/> and the wait for a quiet compiler within <paramref name="maxDuration"/>.
    /// A failure or the time limit is an outcome, not an exception; a cancelled
    /// <paramref name="cancellationToken"/> (the host stopping) still throws.
    /// </summary>
    public static async Task<WarmUpOutcome<T>> RunAsync<T>(Func<CancellationToken, Task<T>> rounds, TimeSpan maxDuration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rounds);
        var watch = Stopwatch.StartNew();
        var methodsBefore = JitInfo.GetCompiledMethodCount();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(maxDuration);
        try
        {
            var result = await rounds(limit.Token);
            await WaitForQuietCompiler(limit.Token);
            return new WarmUpOutcome<T>(result, JitInfo.GetCompiledMethodCount() - methodsBefore, watch.ElapsedMilliseconds, TimedOut: false, Failure: null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WarmUpOutcome<T>(default, 0, watch.ElapsedMilliseconds, TimedOut: true, Failure: null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new WarmUpOutcome<T>(default, 0, watch.ElapsedMilliseconds, TimedOut: false, Failure: ex);
        }
    }

    private static async Task WaitForQuietCompiler(CancellationToken cancellationToken)
    {
        var settle = Stopwatch.StartNew();
        var seen = JitInfo.GetCompiledMethodCount();
        while (settle.Elapsed < MaxSettle)
        {
            await Task.Delay(QuietWindow, cancellationToken);
            var now = JitInfo.GetCompiledMethodCount();
            if (now == seen)
            {
                return;
            }

            seen = now;
        }
    }
}

/// <summary>How a <see cref="WarmUpRun"/> ended.</summary>
/// <param name="Result">What the rounds answered (default unless they finished).</param>
/// <param name="MethodsCompiled">Methods the just-in-time compiler compiled during the warm-up (0 unless it finished).</param>
/// <param name="ElapsedMs">How long it ran, in milliseconds.</param>
/// <param name="TimedOut">True when the time limit ended it.</param>
/// <param name="Failure">What failed, when something did.</param>
public readonly record struct WarmUpOutcome<T>(T? Result, long MethodsCompiled, long ElapsedMs, bool TimedOut, Exception? Failure)
{
    /// <summary>True when the rounds and the wait for a quiet compiler finished.</summary>
    public bool Finished => !TimedOut && Failure is null;

    /// <summary>
    /// Hands the outcome to the one of three reports that fits it (a warm-up logs each in its own words):
    /// what failed, that the time limit ended it, or that it finished.
    /// </summary>
    public void Report(Action<Exception> failed, Action timedOut, Action<WarmUpOutcome<T>> finished)
    {
        ArgumentNullException.ThrowIfNull(failed);
        ArgumentNullException.ThrowIfNull(timedOut);
        ArgumentNullException.ThrowIfNull(finished);
        if (Failure is { } failure)
        {
            failed(failure);
        }
        else if (TimedOut)
        {
            timedOut();
        }
        else
        {
            finished(this);
        }
    }
}
