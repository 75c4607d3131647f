using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Oee.Benchmarks.Cli;
using Oee.Benchmarks.Load;
using Oee.Benchmarks.Measurement;
using Oee.Benchmarks.Targets;
using Oee.Grains.Client;
using Oee.Grains.Configuration;
using Oee.Grains.Contracts;

namespace Oee.Benchmarks.Scenarios;

/// <summary>
/// One purge run on a fresh in-process silo whose retention sweep runs every second but keeps
/// <c>done</c> tasks for a day (<see cref="PurgeScenario.EngineSettings"/>): fills the store with
/// <c>count</c> done echo tasks (batch submits, as fast as the drain), measures open-loop submit
/// latency for --seconds with no purge (the reference), then shortens the retention of done tasks to
/// zero on the running silo, so that the sweep's next tick finds every one of them expired, and
/// measures submit latency again until the sweep has removed them all.
/// </summary>
internal sealed class PurgeRun(BenchContext context, OrchestratorTarget target, int rate, int count)
{
    private static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(10);

    private IOrchestrator Orchestrator => target.Orchestrator;

    public async Task<IReadOnlyList<Measure>> RunAsync(string label, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var retention = RetentionOptions();
        var fillQueue = context.QueueName($"purge-fill-{label}");
        var referenceQueue = context.QueueName($"purge-ref-{label}");
        var purgeQueue = context.QueueName($"purge-during-{label}");

        var fillRate = await FillAsync(fillQueue, cancellationToken);

        context.Say($"purge {label}: reference, {rate}/s for {options.Seconds:0.#} s with no purge running");
        var referenceCpu = ForeignCpu.Start(target.SiloProcessIds);
        var reference = await SubmitAtRateAsync(referenceQueue, elapsed => elapsed.TotalSeconds < options.Seconds, cancellationToken);
        var (referencePostgres, referenceOthers) = referenceCpu.Stop();

        var doneBefore = await DoneCountAsync(cancellationToken);
        if (doneBefore < count)
        {
            throw new BenchmarkFailedException($"Before the purge the store holds {doneBefore} done tasks, fewer than the {count} filled: retention removed some early.");
        }

        context.Say($"purge {label}: {doneBefore} done tasks held; retention of done tasks shortened to 0, {rate}/s submits until the sweep removed them");
        var purgeCpu = ForeignCpu.Start(target.SiloProcessIds);
        retention.Done = TimeSpan.Zero;
        var purgeStart = Stopwatch.GetTimestamp();
        var watch = WatchPurgeAsync(fillQueue, doneBefore, purgeStart, cancellationToken);
        var during = await SubmitAtRateAsync(purgeQueue, _ => !watch.IsCompleted, cancellationToken);
        var purgeTime = await watch;
        var (purgePostgres, purgeOthers) = purgeCpu.Stop();

        // Every task held before the shortening was due; the submits made since finish done and are due too.
        await WaitUntilGoneAsync(referenceQueue, cancellationToken);
        var doneAfter = await DoneCountAsync(cancellationToken);
        var removed = doneBefore + during.Count - doneAfter;

        return
        [
            new Measure("fill throughput", fillRate, "tasks/s"),
            .. Percentiles("reference submit", reference),
            new Measure("reference achieved rate", AchievedRate(reference), "tasks/s"),
            .. Percentiles("during purge submit", during),
            new Measure("during purge achieved rate", AchievedRate(during), "tasks/s"),
            new Measure("submits during purge", during.Count, "tasks"),
            new Measure("purge time", purgeTime.TotalSeconds, "s"),
            new Measure("tasks purged", removed, "tasks"),
            new Measure("purge rate", doneBefore / purgeTime.TotalSeconds, "tasks/s"),
            new Measure("done tasks left", doneAfter, "tasks"),
            new Measure("PostgreSQL CPU (reference)", referencePostgres, "cores"),
            new Measure("PostgreSQL CPU (during purge)", purgePostgres, "cores"),
            new Measure("other processes' CPU (reference)", referenceOthers, "cores"),
            new Measure("other processes' CPU (during purge)", purgeOthers, "cores"),
        ];
    }

    private OeeRetentionOptions RetentionOptions()
    {
        var services = target.SiloServices
            ?? throw new BenchmarkFailedException("The purge scenario needs an in-process silo (it shortens retention on the running engine).");
        var retention = services.GetRequiredService<IOptions<OeeRetentionOptions>>().Value;
        if (!retention.Enabled || retention.SweepInterval > TimeSpan.FromSeconds(1))
        {
            throw new BenchmarkFailedException(
                $"The purge scenario needs Oee:Retention:Enabled=true and a 1 s sweep (was Enabled={retention.Enabled}, SweepInterval={retention.SweepInterval:c}).");
        }

        return retention;
    }

    /// <summary>Submits <c>count</c> echo tasks by batches and waits until they are done; returns tasks/s.</summary>
    private async Task<double> FillAsync(string queue, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var batch = options.Batch > 1 ? options.Batch : TaskLimits.MaxBatchSize;
        context.Say($"purge: filling the store with {count} done echo tasks ({options.Concurrency} batch submits of {batch} in flight)");
        await target.ConfigureQueueAsync(queue, options.MaxConcurrency, paused: false, cancellationToken);
        var start = Stopwatch.GetTimestamp();
        await ClosedLoop.SubmitAsync(target, queue, BenchTask.Echo, BenchTask.EmptyInput, count, options.Concurrency, null, cancellationToken, batch);
        var drained = await CompletionWaiter.WaitForFinishedAsync(target, queue, count, start, StallTimeout, cancellationToken);
        context.Say($"purge: filled in {drained.TotalSeconds:0.0} s ({count / drained.TotalSeconds:0} tasks/s)");
        return count / drained.TotalSeconds;
    }

    /// <summary>Open-loop echo submits into a fresh queue while <paramref name="keepGoing"/> says so; waits until they are done.</summary>
    private async Task<IReadOnlyList<TimedSubmit>> SubmitAtRateAsync(string queue, Func<TimeSpan, bool> keepGoing, CancellationToken cancellationToken)
    {
        await target.ConfigureQueueAsync(queue, context.Options.MaxConcurrency, paused: false, cancellationToken);
        var start = Stopwatch.GetTimestamp();
        var submits = await OpenLoopUntil.SubmitAsync(target, queue, BenchTask.Echo, BenchTask.EmptyInput, rate, keepGoing, cancellationToken);
        await CompletionWaiter.WaitForFinishedAsync(target, queue, submits.Count, start, StallTimeout, cancellationToken);
        return submits;
    }

    /// <summary>Waits until no done task of the fill queue is listed; fails when the done count stops falling.</summary>
    private async Task<TimeSpan> WatchPurgeAsync(string fillQueue, long doneBefore, long start, CancellationToken cancellationToken)
    {
        var lowest = doneBefore;
        var lastProgress = Stopwatch.GetTimestamp();
        var lastReport = Stopwatch.GetTimestamp();
        while (await AnyDoneAsync(fillQueue, cancellationToken))
        {
            await Task.Delay(PollInterval, cancellationToken);
            if (Stopwatch.GetElapsedTime(lastReport) < ProgressInterval && Stopwatch.GetElapsedTime(lastProgress) < StallTimeout)
            {
                continue;
            }

            var done = await DoneCountAsync(cancellationToken);
            lastReport = Stopwatch.GetTimestamp();
            context.Say($"purge: {Stopwatch.GetElapsedTime(start).TotalSeconds:0} s, {done} done tasks left");
            if (done < lowest)
            {
                lowest = done;
                lastProgress = Stopwatch.GetTimestamp();
            }
            else if (Stopwatch.GetElapsedTime(lastProgress) > StallTimeout)
            {
                throw new BenchmarkFailedException(
                    $"The retention sweep removed nothing for {StallTimeout.TotalSeconds:0} s ({done} done tasks left of {doneBefore}); does the engine still read Oee:Retention:Done at each sweep?");
            }
        }

        var elapsed = Stopwatch.GetElapsedTime(start);
        context.Say($"purge: the {count} filled tasks are gone after {elapsed.TotalSeconds:0.0} s");
        return elapsed;
    }

    private async Task WaitUntilGoneAsync(string queue, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp();
        while (await AnyDoneAsync(queue, cancellationToken))
        {
            if (Stopwatch.GetElapsedTime(deadline) > StallTimeout)
            {
                throw new BenchmarkFailedException($"The reference tasks of {queue} were still held {StallTimeout.TotalSeconds:0} s after the purge.");
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    private async Task<bool> AnyDoneAsync(string queue, CancellationToken cancellationToken)
    {
        var page = await Orchestrator.ListAsync(new TaskQuery { Queue = queue, Status = OeeTaskStatus.Done, Limit = 1 }, cancellationToken);
        return page.Items.Length > 0;
    }

    private async Task<long> DoneCountAsync(CancellationToken cancellationToken)
    {
        var status = await Orchestrator.GetSystemStatusAsync(cancellationToken);
        return status.TaskCounts.GetValueOrDefault(OeeTaskStatus.Done);
    }

    private static IEnumerable<Measure> Percentiles(string name, IReadOnlyList<TimedSubmit> submits)
    {
        var calls = submits.Select(s => s.CallMs).Order().ToArray();
        yield return new Measure($"{name} p50", Stats.PercentileOfSorted(calls, 50), "ms");
        yield return new Measure($"{name} p99", Stats.PercentileOfSorted(calls, 99), "ms");
        yield return new Measure($"{name} max", Stats.PercentileOfSorted(calls, 100), "ms");
    }

    private static double AchievedRate(IReadOnlyList<TimedSubmit> submits) =>
        submits.Count < 2 ? double.NaN : (submits.Count - 1) / (submits[^1].SentAtSeconds - submits[0].SentAtSeconds);
}
