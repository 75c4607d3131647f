using System.Diagnostics;
using System.Runtime;

namespace Oee.Grains.WarmUp;

/// <summary>
/// Waits until the just-in-time compiler has been quiet for a moment: the runtime recompiles hot methods
/// in the background shortly after they became hot, so a warm-up ends when that has finished, not when its
/// last call returned. Shared by the silo's, the client's and the API's warm-ups.
/// </summary>
public static class JitSettle
{
    /// <summary>How long no method may be compiled for the compiler to count as quiet.</summary>
    public static readonly TimeSpan QuietWindow = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest the wait lasts, however busy the compiler stays.</summary>
    public static readonly TimeSpan MaxSettle = TimeSpan.FromSeconds(5);

    /// <summary>Returns once no method was compiled for <see cref="QuietWindow"/>, or after <see cref="MaxSettle"/>.</summary>
    public static async Task WaitAsync(CancellationToken cancellationToken)
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
