using System.Diagnostics;
using Oee.Benchmarks.Load;
using Oee.Benchmarks.Measurement;
using Oee.Benchmarks.Targets;

namespace Oee.Benchmarks.Scenarios;

/// <summary>
/// One drain: submit <c>count</c> tasks as fast as possible into a fresh queue (limit high, so
/// worker slots are the bound) and time from the first submit until the queue reports the last
/// one finished. Finished tasks are removed afterwards (untimed) unless --no-clear.
/// </summary>
internal sealed class DrainRun(BenchContext context, IBenchTarget target, string handler, string input, int count)
{
    private static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(60);

    public async Task<IReadOnlyList<Measure>> RunAsync(string queue, CancellationToken cancellationToken)
    {
        var options = context.Options;
        await target.ConfigureQueueAsync(queue, options.MaxConcurrency, paused: false, cancellationToken);
        await using var rss = RssSampler.Start(target.SiloProcessIds);
        var others = ForeignCpu.Start(target.SiloProcessIds);
        var inProcess = target.SiloProcessIds.Count == 1 && target.SiloProcessIds[0] == Environment.ProcessId;
        var cost = ProcessCost.Start();
        var split = inProcess ? null : SplitCpuCost.Start(target.SiloProcessIds);
        var start = Stopwatch.GetTimestamp();
        await ClosedLoop.SubmitAsync(target, queue, handler, input, count, options.Concurrency, null, cancellationToken, options.Batch);
        var submitted = Stopwatch.GetElapsedTime(start);
        var drained = await CompletionWaiter.WaitForFinishedAsync(target, queue, count, start, StallTimeout, cancellationToken);
        var peakRss = await rss.StopAsync();
        var (postgresCores, otherCores) = others.Stop();
        IReadOnlyList<Measure> costs = split is null ? cost.Stop(count) : [.. split.Stop(count), .. cost.StopClientJit()];

        await FinishedTasks.ClearAsync(context, target, cancellationToken);

        return
        [
            new Measure("throughput", count / drained.TotalSeconds, "tasks/s"),
            new Measure("submit rate", count / submitted.TotalSeconds, "tasks/s"),
            new Measure("peak RSS", peakRss, "MiB"),
            new Measure("PostgreSQL CPU", postgresCores, "cores"),
            new Measure("other processes' CPU", otherCores, "cores"),
            .. costs,
        ];
    }
}
