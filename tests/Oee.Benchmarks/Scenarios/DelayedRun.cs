using System.Collections.Concurrent;
using System.Diagnostics;
using Oee.Benchmarks.Load;
using Oee.Benchmarks.Measurement;
using Oee.Benchmarks.Targets;

namespace Oee.Benchmarks.Scenarios;

/// <summary>
/// One delayed run: <c>count</c> echo tasks whose due times (runAt) are spread evenly over
/// <c>window</c>, which opens after a lead long enough for every submit to be in (twice the time
/// the reference drain took to submit as many, plus a second). Lateness is each task's start
/// (silo clock) minus its due time.
/// </summary>
internal sealed class DelayedRun(BenchContext context, IBenchTarget target, int count, TimeSpan window)
{
    private static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(60);

    public async Task<IReadOnlyList<Measure>> RunAsync(string queue, double referenceSubmitRate, CancellationToken cancellationToken)
    {
        var options = context.Options;
        await target.ConfigureQueueAsync(queue, options.MaxConcurrency, paused: false, cancellationToken);
        var lead = TimeSpan.FromSeconds(1 + (2 * count / Math.Max(1, referenceSubmitRate)));
        var firstDue = DateTimeOffset.UtcNow + lead;
        var dueTimes = new ConcurrentDictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var next = -1;
        var start = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, Math.Min(options.Concurrency, count)).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var due = firstDue + (window * i / count);
                dueTimes[await target.SubmitAtAsync(queue, BenchTask.Echo, BenchTask.EmptyInput, due, cancellationToken)] = due;
            }
        }));
        var submitted = Stopwatch.GetElapsedTime(start);
        var slack = firstDue - DateTimeOffset.UtcNow;
        await CompletionWaiter.WaitForFinishedAsync(target, queue, count, start, lead + window + StallTimeout, cancellationToken);

        var lateness = new List<double>(count);
        var lastCompleted = DateTimeOffset.MinValue;
        await foreach (var task in target.ListDoneAsync(queue, cancellationToken))
        {
            if (dueTimes.TryGetValue(task.Id, out var due) && task.StartedAt is { } started)
            {
                lateness.Add((started - due).TotalMilliseconds);
                lastCompleted = task.CompletedAt > lastCompleted ? task.CompletedAt.Value : lastCompleted;
            }
        }

        if (lateness.Count != count)
        {
            throw new InvalidOperationException($"Queue {queue}: {lateness.Count} of {count} delayed tasks listed as done.");
        }

        await FinishedTasks.ClearAsync(context, target, cancellationToken);
        lateness.Sort();
        return
        [
            new Measure("lateness p50", Stats.PercentileOfSorted(lateness, 50), "ms"),
            new Measure("lateness p99", Stats.PercentileOfSorted(lateness, 99), "ms"),
            new Measure("lateness max", lateness[^1], "ms"),
            new Measure("throughput (first due -> last done)", count / (lastCompleted - firstDue).TotalSeconds, "tasks/s"),
            new Measure("early starts", lateness.Count(l => l < 0), "tasks"),
            new Measure("delayed submit rate", count / submitted.TotalSeconds, "tasks/s"),
            new Measure("lead slack", slack.TotalMilliseconds, "ms"),
        ];
    }
}
