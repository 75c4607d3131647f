namespace Oee.Benchmarks.Load;

/// <summary>
/// Scrapes a <c>/metrics</c> URL at a fixed interval while a run drains, as Prometheus would (one
/// request at a time); counts the scrapes and fails the run if one is not a 200 with OEE's counters.
/// </summary>
internal sealed class MetricsScraper : IAsyncDisposable
{
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    private int scrapes;
    private long bytes;

    private MetricsScraper(Uri url, TimeSpan interval) => loop = Task.Run(() => ScrapeAsync(url, interval));

    public int Scrapes => Volatile.Read(ref scrapes);

    public long Bytes => Interlocked.Read(ref bytes);

    public static MetricsScraper Start(Uri url, TimeSpan interval) => new(url, interval);

    private async Task ScrapeAsync(Uri url, TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval);
        do
        {
            var text = await http.GetStringAsync(url, stop.Token);
            if (!text.Contains("oee_tasks_submitted_total", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{url} answered without OEE's counters ({text.Length} characters).");
            }

            Interlocked.Add(ref bytes, text.Length);
            Interlocked.Increment(ref scrapes);
        }
        while (await timer.WaitForNextTickAsync(stop.Token));
    }

    /// <summary>Stops scraping; throws what a scrape failed with.</summary>
    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try
        {
            await loop;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        finally
        {
            http.Dispose();
            stop.Dispose();
        }
    }
}
