using System.Diagnostics;
using System.Globalization;
using Oee.Benchmarks.Load;
using Oee.Benchmarks.Measurement;
using Oee.Benchmarks.Scenarios;

namespace Oee.Benchmarks.Peers;

/// <summary>
/// One peer latency run: open-loop no-op submits at a fixed rate, and per job the time from the
/// moment the benchmark sent the submit until its body started (both the wall clock of this process,
/// as OEE's <c>sent->started</c>). The peers' client calls are synchronous, so submits are sequential:
/// when one takes longer than the interval (Hangfire.PostgreSql on a busy machine) the achieved rate
/// falls below the rate asked for, which the run reports. (Overlapping them instead ran Hangfire.PostgreSql's
/// job creation into Npgsql read timeouts on a busy machine.)
/// </summary>
internal sealed class PeerLatencyRun(IPeer peer, int rate, int count)
{
    private static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(60);
    private static readonly double[] Percentiles = [50, 95, 99, 100];

    public async Task<IReadOnlyList<Measure>> RunAsync(CancellationToken cancellationToken)
    {
        var before = await peer.SucceededAsync(cancellationToken);
        var others = ForeignCpu.Start([]);
        var generation = PeerBodies.Arm(count);

        // The listener OEE's in-process latency runs have on the runtime's GC events (LatencyRun), so that both sides
        // carry its cost; the peer's pauses are not reported.
        using var pauses = new Diagnostics.RuntimePauses();
        var start = Stopwatch.GetTimestamp();
        var sent = await OpenLoop.SubmitAsync(
            async (index, ct) =>
            {
                await peer.SubmitAsync(generation, index, ct);
                return index.ToString(CultureInfo.InvariantCulture);
            },
            rate,
            count,
            cancellationToken);
        await CompletionWaiter.WaitUntilAsync(
            async ct => await peer.SucceededAsync(ct) - before,
            count,
            start,
            StallTimeout,
            peer.CompletionPoll,
            (done, _) => Task.FromResult($"{peer.Mode} stalled: {done} of {count} jobs succeeded, none for {StallTimeout.TotalSeconds:0} s."),
            cancellationToken);
        var (postgresCores, otherCores) = others.Stop();

        var started = PeerBodies.Collect();
        var sentToStart = new double[count];
        for (var i = 0; i < count; i++)
        {
            if (started[i] == default)
            {
                throw new InvalidOperationException($"{peer.Mode}: job {i} was reported succeeded but its body did not note its start.");
            }

            sentToStart[i] = (started[i] - sent.SentAt[i]).TotalMilliseconds;
        }

        Array.Sort(sentToStart);
        var calls = sent.SubmitCallMs.Order().ToArray();
        var measures = Percentiles
            .Select(p => new Measure(p >= 100 ? "sent->started max" : $"sent->started p{p:0}", Stats.PercentileOfSorted(sentToStart, p), "ms"))
            .ToList();
        measures.Add(new Measure("submit call p50", Stats.PercentileOfSorted(calls, 50), "ms"));
        measures.Add(new Measure("submit call p99", Stats.PercentileOfSorted(calls, 99), "ms"));
        measures.Add(new Measure("achieved rate", sent.AchievedRate, "tasks/s"));
        measures.Add(new Measure("PostgreSQL CPU", postgresCores, "cores"));
        measures.Add(new Measure("other processes' CPU", otherCores, "cores"));
        return measures;
    }
}
