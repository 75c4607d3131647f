using System.Diagnostics;
using Oee.Benchmarks.Load;
using Oee.Benchmarks.Measurement;
using Oee.Benchmarks.Targets;

namespace Oee.Benchmarks.Scenarios;

/// <summary>
/// One drain under a per-key limit: <c>count</c> echo tasks spread round-robin over <c>tenants</c>
/// concurrency keys, into a fresh queue with <c>maxPerKey</c> set, timed from the first submit until
/// the queue reports the last one finished (as <see cref="DrainRun"/>).
/// </summary>
internal sealed class KeyedDrainRun(BenchContext context, IBenchTarget target, int count, int tenants, int maxPerKey)
{
    private static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(60);

    public async Task<IReadOnlyList<Measure>> RunAsync(string queue, CancellationToken cancellationToken)
    {
        var options = context.Options;
        await target.ConfigurePerKeyAsync(queue, options.MaxConcurrency, maxPerKey, cancellationToken);
        await using var rss = RssSampler.Start(target.SiloProcessIds);
        var keys = Enumerable.Range(0, tenants).Select(t => $"tenant-{t}").ToArray();
        var start = Stopwatch.GetTimestamp();
        await ClosedLoop.SubmitAsync(target, queue, BenchTask.Echo, BenchTask.EmptyInput, count, options.Concurrency, null, cancellationToken, keyOf: n => keys[n % tenants]);
        var submitted = Stopwatch.GetElapsedTime(start);
        var drained = await CompletionWaiter.WaitForFinishedAsync(target, queue, count, start, StallTimeout, cancellationToken);
        var peakRss = await rss.StopAsync();

        await FinishedTasks.ClearAsync(context, target, cancellationToken);

        return
        [
            new Measure("throughput", count / drained.TotalSeconds, "tasks/s"),
            new Measure("submit rate", count / submitted.TotalSeconds, "tasks/s"),
            new Measure("peak RSS", peakRss, "MiB"),
        ];
    }
}
