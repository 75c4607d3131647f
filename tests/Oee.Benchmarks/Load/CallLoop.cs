namespace Oee.Benchmarks.Load;

/// <summary>
/// The closed loop of <see cref="ClosedLoop"/> for anything that is not an OEE target (the peers,
/// the bare-grain floor): <c>count</c> calls from <c>concurrency</c> concurrent callers, each calling
/// again as soon as its last call returned. The first failure stops all.
/// </summary>
internal static class CallLoop
{
    /// <summary>Calls <paramref name="call"/> with 0 … count-1 (each once).</summary>
    public static async Task RunAsync(int count, int concurrency, Func<int, CancellationToken, ValueTask> call, CancellationToken cancellationToken)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var next = -1;

        async Task CallerAsync()
        {
            try
            {
                int n;
                while ((n = Interlocked.Increment(ref next)) < count)
                {
                    await call(n, failed.Token);
                }
            }
            catch
            {
                await failed.CancelAsync();
                throw;
            }
        }

        var callers = Enumerable.Range(0, Math.Max(1, Math.Min(concurrency, count))).Select(_ => Task.Run(CallerAsync, CancellationToken.None)).ToArray();
        try
        {
            await Task.WhenAll(callers);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var first = callers.Where(c => c.IsFaulted).Select(c => c.Exception!.InnerException!).FirstOrDefault();
            if (first is not null)
            {
                throw first;
            }

            throw;
        }
    }
}
