using Oee.Benchmarks.Targets;

namespace Oee.Benchmarks.Load;

/// <summary>Submits tasks as fast as the target accepts them, with a fixed number of submits in flight.</summary>
internal static class ClosedLoop
{
    /// <summary>
    /// Submits <paramref name="count"/> tasks from <paramref name="concurrency"/> concurrent callers,
    /// one per call, or <paramref name="batch"/> per call (a batch submit) when above 1.
    /// <paramref name="onAccepted"/> gets the running number of accepted tasks (1, 2, … one call at a
    /// time; by batches when batching). With <paramref name="keyOf"/>, task n (from 0) gets the concurrency
    /// key <c>keyOf(n)</c> (one task per call). The first failure stops all.
    /// </summary>
    public static async Task SubmitAsync(
        IBenchTarget target,
        string queue,
        string handler,
        string input,
        int count,
        int concurrency,
        Action<long>? onAccepted,
        CancellationToken cancellationToken,
        int batch = 1,
        Func<long, string>? keyOf = null)
    {
        if (keyOf is not null && batch != 1)
        {
            throw new ArgumentException("Keyed submits go one task per call.", nameof(batch));
        }

        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        long next = 0;
        long accepted = 0;

        async Task CallerAsync()
        {
            try
            {
                long taken;
                while ((taken = Interlocked.Add(ref next, batch)) - batch < count)
                {
                    var size = (int)Math.Min(batch, count - (taken - batch));
                    if (keyOf is not null)
                    {
                        await target.SubmitKeyedAsync(queue, handler, input, keyOf(taken - 1), failed.Token);
                    }
                    else if (batch == 1)
                    {
                        await target.SubmitAsync(queue, handler, input, failed.Token);
                    }
                    else
                    {
                        await target.SubmitBatchAsync(queue, handler, input, size, failed.Token);
                    }

                    var n = Interlocked.Add(ref accepted, size);
                    onAccepted?.Invoke(n);
                }
            }
            catch
            {
                await failed.CancelAsync();
                throw;
            }
        }

        var callers = Enumerable.Range(0, (int)Math.Min(concurrency, Math.Ceiling(count / (double)batch))).Select(_ => Task.Run(CallerAsync, CancellationToken.None)).ToArray();
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
