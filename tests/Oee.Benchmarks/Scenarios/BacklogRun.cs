using System.Diagnostics;
using Oee.Benchmarks.Load;
using Oee.Benchmarks.Measurement;
using Oee.Benchmarks.Targets;

namespace Oee.Benchmarks.Scenarios;

/// <summary>
/// One backlog run on a fresh target: a warm-up drain, then <c>count</c> tasks enqueued into
/// <c>--queues</c> paused queues in equal shares, one queue after the other (rate per tenth of the
/// backlog), the silo's RSS with the backlog held, then the drain rate after resuming them all at
/// once (until every queue reports its share finished), and (with <paramref name="gc"/>, the silo's
/// GC totals) what the drain spent in collections.
/// </summary>
internal sealed class BacklogRun(BenchContext context, IBenchTarget target, int count, Func<CancellationToken, Task<GcSample>>? gc)
{
    // The Prometheus exporter answers a scrape from a copy up to this old (OpenTelemetry's default, 300 ms).
    private static readonly TimeSpan ScrapeCacheAge = TimeSpan.FromMilliseconds(500);

    private const int Tenths = 10;
    private static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    public async Task<IReadOnlyList<Measure>> RunAsync(string label, CancellationToken cancellationToken)
    {
        await WarmUpAsync(label, cancellationToken);

        var options = context.Options;
        var queues = Enumerable.Range(0, options.Queues)
            .Select(i => options.Queues == 1 ? context.QueueName($"backlog-{label}") : context.QueueName($"backlog-{label}-q{i}"))
            .ToArray();
        var shares = Enumerable.Range(0, queues.Length).Select(i => count / queues.Length + (i < count % queues.Length ? 1 : 0)).ToArray();
        await SetPausedAsync(queues, paused: true, cancellationToken);

        // The time at which each tenth of the backlog had been accepted.
        var boundaries = Enumerable.Range(1, Tenths).Select(k => (long)Math.Ceiling(k * (double)count / Tenths)).ToArray();
        var reachedAt = new long[Tenths];
        var others = ForeignCpu.Start(target.SiloProcessIds);
        var start = Stopwatch.GetTimestamp();
        await using (var enqueueRss = RssSampler.Start(target.SiloProcessIds))
        {
            long submitted = 0;
            for (var q = 0; q < queues.Length; q++)
            {
                var offset = submitted;
                await ClosedLoop.SubmitAsync(target, queues[q], BenchTask.Echo, BenchTask.EmptyInput, shares[q], options.Concurrency, n =>
                {
                    var k = Array.BinarySearch(boundaries, offset + n);
                    if (k >= 0)
                    {
                        reachedAt[k] = Stopwatch.GetTimestamp();
                    }
                }, cancellationToken);
                submitted += shares[q];
            }
        }

        var measures = new List<Measure>();
        var previous = start;
        for (var k = 0; k < Tenths; k++)
        {
            var tasks = boundaries[k] - (k == 0 ? 0 : boundaries[k - 1]);
            var seconds = Stopwatch.GetElapsedTime(previous, reachedAt[k]).TotalSeconds;
            measures.Add(new Measure($"enqueue rate {k * 10}-{(k + 1) * 10}%", tasks / seconds, "tasks/s"));
            previous = reachedAt[k];
        }

        measures.Add(new Measure("enqueue last/first tenth", measures[^1].Value / measures[0].Value, "x"));
        measures.Add(new Measure("enqueue rate overall", count / Stopwatch.GetElapsedTime(start, reachedAt[^1]).TotalSeconds, "tasks/s"));

        for (var q = 0; q < queues.Length; q++)
        {
            var held = await target.GetQueueAsync(queues[q], cancellationToken);
            if (held.Pending != shares[q])
            {
                throw new InvalidOperationException($"Queue {queues[q]} holds {held.Pending} pending tasks, expected {shares[q]}.");
            }
        }

        await Task.Delay(Settle, cancellationToken);
        measures.Add(new Measure("RSS with backlog held", Rss.ReadMiB(target.SiloProcessIds), "MiB"));
        context.Say($"backlog {label}: {count} queued in {queues.Length} queue(s), RSS {measures[^1].Value:0} MiB; resuming");

        var gcBefore = gc is null ? (GcSample?)null : await gc(cancellationToken);
        await using var drainRss = RssSampler.Start(target.SiloProcessIds);
        var resumed = Stopwatch.GetTimestamp();
        await SetPausedAsync(queues, paused: false, cancellationToken);
        var drains = await Task.WhenAll(queues.Select((queue, q) =>
            CompletionWaiter.WaitForFinishedAsync(target, queue, shares[q], resumed, StallTimeout, cancellationToken)));
        var drained = drains.Max();
        measures.Add(new Measure("drain rate after resume", count / drained.TotalSeconds, "tasks/s"));
        measures.Add(new Measure("peak RSS while draining", await drainRss.StopAsync(), "MiB"));
        if (gc is not null && gcBefore is { } before)
        {
            // Past the exporter's copy of the last scrape, so that the drain's last collections are in.
            await Task.Delay(ScrapeCacheAge, cancellationToken);
            var spent = await gc(cancellationToken) - before;
            measures.Add(new Measure("GC pause while draining", spent.PauseSeconds, "s"));
            measures.Add(new Measure("GC pause share while draining", spent.PauseSeconds / drained.TotalSeconds, "x"));
            measures.Add(new Measure("gen0 collections while draining", spent.Gen0, "count"));
            measures.Add(new Measure("gen1 collections while draining", spent.Gen1, "count"));
            measures.Add(new Measure("gen2 collections while draining", spent.Gen2, "count"));
            measures.Add(new Measure("allocated per task while draining", spent.AllocatedBytes / count / 1024, "KiB"));
            context.Say($"backlog {label}: GC paused {spent.PauseSeconds:0.00} s of the {drained.TotalSeconds:0.0} s drain ({spent.Gen0}/{spent.Gen1}/{spent.Gen2} collections of gen0/1/2)");
        }
        var (postgresCores, otherCores) = others.Stop();
        measures.Add(new Measure("PostgreSQL CPU", postgresCores, "cores"));
        measures.Add(new Measure("other processes' CPU", otherCores, "cores"));
        return measures;
    }

    private Task SetPausedAsync(IEnumerable<string> queues, bool paused, CancellationToken cancellationToken) =>
        Task.WhenAll(queues.Select(queue => target.ConfigureQueueAsync(queue, context.Options.MaxConcurrency, paused, cancellationToken)));

    /// <summary>JIT and activate the paths first, in another queue; its tasks are removed again.</summary>
    private async Task WarmUpAsync(string label, CancellationToken cancellationToken)
    {
        var warmCount = Math.Clamp(count / 5, Math.Min(count, 30_000), 100_000);
        var queue = context.QueueName($"backlog-{label}-warmup");
        await target.ConfigureQueueAsync(queue, context.Options.MaxConcurrency, paused: false, cancellationToken);
        var start = Stopwatch.GetTimestamp();
        await ClosedLoop.SubmitAsync(target, queue, BenchTask.Echo, BenchTask.EmptyInput, warmCount, context.Options.Concurrency, null, cancellationToken);
        await CompletionWaiter.WaitForFinishedAsync(target, queue, warmCount, start, StallTimeout, cancellationToken);
        await FinishedTasks.ClearAsync(context, target, cancellationToken);
        context.Say($"backlog {label}: warmed up with {warmCount} tasks in {Stopwatch.GetElapsedTime(start).TotalSeconds:0.0} s");
    }
}
