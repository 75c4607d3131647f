using Oee.Benchmarks.Targets;

namespace Oee.Benchmarks.Load;

/// <summary>Submits tasks as fast as the target accepts them, with a fixed number of submits in flight.</summary>
internal static class ClosedLoop
{
    /// <summary>
    /// Submits <paramref name="count"/> tasks from <paramref name="concurrency"/> concurrent callers.
    /// <paramref name="onAccepted"/> gets the running number of accepted submits (1, 2, …). The first failure stops all.
    /// </summary>
    public static async Task SubmitAsync(
        IBenchTarget target,
        string queue,
        string handler,
        string input,
        int count,
        int concurrency,
        Action<long>? onAccepted,
        CancellationToken cancellationToken)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        long next = 0;
        long accepted = 0;

        async Task CallerAsync()
        {
            try
            {
                while (Interlocked.Increment(ref next) <= count)
                {
                    await target.SubmitAsync(queue, handler, input, failed.Token);
                    var n = Interlocked.Increment(ref accepted);
                    onAccepted?.Invoke(n);
                }
            }
            catch
            {
                await failed.CancelAsync();
                throw;
            }
        }

        var callers = Enumerable.Range(0, Math.Min(concurrency, count)).Select(_ => Task.Run(CallerAsync, CancellationToken.None)).ToArray();
        try
        {
            await Task.WhenAll(callers);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // A caller failed and cancelled the others: report that failure, not their cancellations.
            var first = callers.Where(c => c.IsFaulted).Select(c => c.Exception!.InnerException!).FirstOrDefault();
            if (first is not null)
            {
                throw first;
            }

            throw;
        }
    }
}
