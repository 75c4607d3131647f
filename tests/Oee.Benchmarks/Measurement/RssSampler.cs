namespace Oee.Benchmarks.Measurement;

/// <summary>Samples the silos' RSS in the background and keeps the peak.</summary>
internal sealed class RssSampler : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private readonly IReadOnlyList<int> pids;
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    private double peak = double.NaN;

    private RssSampler(IReadOnlyList<int> pids)
    {
        this.pids = pids;
        loop = Task.Run(SampleAsync);
    }

    public static RssSampler Start(IReadOnlyList<int> pids) => new(pids);

    /// <summary>Stops sampling; returns the peak in MiB (NaN when unreadable).</summary>
    public async Task<double> StopAsync()
    {
        await stop.CancelAsync();
        await loop;
        Take();
        return peak;
    }

    public async ValueTask DisposeAsync()
    {
        if (!stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        stop.Dispose();
    }

    private async Task SampleAsync()
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            do
            {
                Take();
            }
            while (await timer.WaitForNextTickAsync(stop.Token));
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    private void Take()
    {
        var now = Rss.ReadMiB(pids);
        if (!double.IsNaN(now) && (double.IsNaN(peak) || now > peak))
        {
            peak = now;
        }
    }
}
