using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Oee.Benchmarks.Load;
using Oee.Benchmarks.Measurement;
using Oee.Benchmarks.Targets;

namespace Oee.Benchmarks.Scenarios;

/// <summary>
/// One latency run: open-loop echo submits at a fixed rate into a fresh queue; once all finished,
/// percentiles of startedAt and completedAt (from the task records, silo clock) measured from
///   - createdAt (also a record field, which the silo sets midway through the submit), and
///   - the moment the benchmark sent the submit (same machine, same wall clock; in-process the same process),
/// plus the submit call's round trip as the caller saw it, (in-process) the methods JIT-compiled meanwhile, and,
/// on an in-process silo, sent->body: from the send to the moment the body itself began
/// (<see cref="BodyStartClock"/>), as the peers are measured.
/// </summary>
internal sealed class LatencyRun(BenchContext context, IBenchTarget target, int rate, int count)
{
    private static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(60);
    private static readonly double[] Percentiles = [50, 90, 95, 99, 100];

    public async Task<IReadOnlyList<Measure>> RunAsync(string queue, CancellationToken cancellationToken)
    {
        await target.ConfigureQueueAsync(queue, context.Options.MaxConcurrency, paused: false, cancellationToken);
        // In-process: the timed echo, whose bodies note when they began (as the peers' bodies do).
        var bodies = (target as OrchestratorTarget)?.SiloServices?.GetService<BodyStartClock>();
        bodies?.Clear();
        var others = ForeignCpu.Start(target.SiloProcessIds);
        var methodsAtStart = System.Runtime.JitInfo.GetCompiledMethodCount();
        var gcAtStart = GC.CollectionCount(0);
        using var pauses = bodies is null ? null : new Diagnostics.RuntimePauses();
        var start = Stopwatch.GetTimestamp();
        var sent = await OpenLoop.SubmitAsync(target, queue, bodies is null ? BenchTask.Echo : BodyStartClock.Handler, BenchTask.EmptyInput, rate, count, cancellationToken);
        await CompletionWaiter.WaitForFinishedAsync(target, queue, count, start, StallTimeout, cancellationToken);
        var (postgresCores, otherCores) = others.Stop();
        var methodsCompiled = System.Runtime.JitInfo.GetCompiledMethodCount() - methodsAtStart;
        var gcs = GC.CollectionCount(0) - gcAtStart;
        var sentToBodySpans = new List<(DateTimeOffset Sent, DateTimeOffset Body)>(count);

        var sentAt = new Dictionary<string, DateTimeOffset>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            sentAt[sent.Ids[i]] = sent.SentAt[i];
        }

        var createdToStart = new List<double>(count);
        var createdToDone = new List<double>(count);
        var sentToStart = new List<double>(count);
        var sentToDone = new List<double>(count);
        var sentToBody = new List<double>(count);
        await foreach (var task in target.ListDoneAsync(queue, cancellationToken))
        {
            var started = task.StartedAt!.Value;
            var completed = task.CompletedAt!.Value;
            createdToStart.Add((started - task.CreatedAt).TotalMilliseconds);
            createdToDone.Add((completed - task.CreatedAt).TotalMilliseconds);
            var sentTime = sentAt[task.Id];
            sentToStart.Add((started - sentTime).TotalMilliseconds);
            sentToDone.Add((completed - sentTime).TotalMilliseconds);
            if (bodies is not null && bodies.TryGet(task.Id, out var bodyStarted))
            {
                sentToBody.Add((bodyStarted - sentTime).TotalMilliseconds);
                sentToBodySpans.Add((sentTime, bodyStarted));
            }
        }

        if (createdToStart.Count != count)
        {
            throw new InvalidOperationException($"Queue {queue}: {count} tasks submitted but {createdToStart.Count} listed as done.");
        }

        await FinishedTasks.ClearAsync(context, target, cancellationToken);

        var measures = new List<Measure>();
        measures.AddRange(PercentilesOf("sent->started", sentToStart));
        if (sentToBody.Count > 0)
        {
            measures.AddRange(PercentilesOf("sent->body", sentToBody));
        }

        measures.AddRange(PercentilesOf("sent->done", sentToDone));
        measures.AddRange(PercentilesOf("created->started", createdToStart));
        measures.AddRange(PercentilesOf("created->done", createdToDone));
        var calls = sent.SubmitCallMs.Order().ToArray();
        measures.Add(new Measure("submit call p50", Stats.PercentileOfSorted(calls, 50), "ms"));
        measures.Add(new Measure("submit call p99", Stats.PercentileOfSorted(calls, 99), "ms"));
        measures.Add(new Measure("achieved rate", sent.AchievedRate, "tasks/s"));
        measures.Add(new Measure("PostgreSQL CPU", postgresCores, "cores"));
        measures.Add(new Measure("other processes' CPU", otherCores, "cores"));
        if (pauses is not null && sentToBodySpans.Count > 0)
        {
            measures.AddRange(TailAgainstPauses(pauses.Seen, sentToBodySpans, gcs));
        }

        if (target.SiloProcessIds is [var pid] && pid == Environment.ProcessId)
        {
            // Methods this process compiled meanwhile: compilation (first calls, tier-up) during a measured run takes a core from the tasks.
            measures.Add(new Measure("methods JIT-compiled", methodsCompiled, "methods"));
        }
        return measures;
    }

    /// <summary>
    /// In-process: the runtime's pauses (GCs and other suspensions of every thread) during the run, and how many of
    /// the tasks at or above the sent->body p99 had one between their send and their body's start.
    /// </summary>
    private static IEnumerable<Measure> TailAgainstPauses(IReadOnlyList<Diagnostics.RuntimePauses.Pause> pauses, List<(DateTimeOffset Sent, DateTimeOffset Body)> spans, int gcs)
    {
        var first = spans.Min(s => s.Sent);
        var last = spans.Max(s => s.Body);
        var during = pauses.Where(p => p.Overlaps(first, last)).ToList();
        var p99 = Stats.PercentileOfSorted(spans.Select(s => (s.Body - s.Sent).TotalMilliseconds).Order().ToArray(), 99);
        var tail = spans.Where(s => (s.Body - s.Sent).TotalMilliseconds >= p99).ToList();
        var tailInGc = tail.Count(s => during.Any(p => p.ForGc && p.Overlaps(s.Sent, s.Body)));
        var tailInOther = tail.Count(s => during.Any(p => !p.ForGc && p.Overlaps(s.Sent, s.Body)));
        return
        [
            new Measure("gen0+ GCs", gcs, "GCs"),
            new Measure("GC pauses", during.Count(p => p.ForGc), "pauses"),
            new Measure("GC pause max", during.Where(p => p.ForGc).Select(p => p.Milliseconds).DefaultIfEmpty(0).Max(), "ms"),
            new Measure("other runtime suspensions", during.Count(p => !p.ForGc), "pauses"),
            new Measure("other suspension max", during.Where(p => !p.ForGc).Select(p => p.Milliseconds).DefaultIfEmpty(0).Max(), "ms"),
            new Measure("sent->body tail tasks", tail.Count, "tasks"),
            new Measure("tail tasks overlapping a GC pause", tailInGc, "tasks"),
            new Measure("tail tasks overlapping another suspension", tailInOther, "tasks"),
        ];
    }

    private static IEnumerable<Measure> PercentilesOf(string name, List<double> values)
    {
        var sorted = values.Order().ToArray();
        return Percentiles.Select(p => new Measure(
            p >= 100 ? $"{name} max" : $"{name} p{p:0}",
            Stats.PercentileOfSorted(sorted, p),
            "ms"));
    }
}
