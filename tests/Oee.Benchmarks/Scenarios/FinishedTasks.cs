using Oee.Benchmarks.Targets;

namespace Oee.Benchmarks.Scenarios;

/// <summary>Untimed housekeeping between runs: removes finished tasks so that every run starts from a similar state.</summary>
internal static class FinishedTasks
{
    /// <summary>
    /// Clears finished tasks unless --no-clear. A failure (e.g. a client's 30 s response timeout
    /// on a very large clean-up) is reported and does not discard the run's figures.
    /// </summary>
    public static async Task ClearAsync(BenchContext context, IBenchTarget target, CancellationToken cancellationToken)
    {
        if (context.Options.NoClear)
        {
            return;
        }

        try
        {
            await target.ClearFinishedAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            context.Say($"warning: removing finished tasks failed ({ex.GetType().Name}: {FirstLine(ex.Message)}); later runs start with them still held");
        }
    }

    private static string FirstLine(string text) =>
        text.Length <= 160 ? text : text[..160] + "…";
}
