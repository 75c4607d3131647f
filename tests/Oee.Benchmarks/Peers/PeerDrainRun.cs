using System.Diagnostics;
using Oee.Benchmarks.Load;
using Oee.Benchmarks.Measurement;
using Oee.Benchmarks.Scenarios;

namespace Oee.Benchmarks.Peers;

/// <summary>
/// One peer drain: <c>count</c> no-op jobs submitted as fast as the submitters can, timed from the
/// first submit until the peer's own API reports all of them succeeded (as OEE's drain waits for its
/// queue's counters).
/// </summary>
internal sealed class PeerDrainRun(BenchContext context, IPeer peer, int count)
{
    private static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(60);

    public async Task<IReadOnlyList<Measure>> RunAsync(CancellationToken cancellationToken)
    {
        var before = await peer.SucceededAsync(cancellationToken);
        var others = ForeignCpu.Start([]);
        var cost = ProcessCost.Start();
        var start = Stopwatch.GetTimestamp();
        var submitters = Math.Min(context.Options.Concurrency, peer.MaxSubmitters);
        await CallLoop.RunAsync(count, submitters, (_, ct) => peer.SubmitAsync(0, -1, ct), cancellationToken);
        var submitted = Stopwatch.GetElapsedTime(start);
        var drained = await CompletionWaiter.WaitUntilAsync(
            async ct => await peer.SucceededAsync(ct) - before,
            count,
            start,
            StallTimeout,
            peer.CompletionPoll,
            (done, _) => Task.FromResult($"{peer.Mode} stalled: {done} of {count} jobs succeeded, none for {StallTimeout.TotalSeconds:0} s ({peer.Description})."),
            cancellationToken);
        var (postgresCores, otherCores) = others.Stop();
        var costs = cost.Stop(count);
        return
        [
            new Measure("throughput", count / drained.TotalSeconds, "tasks/s"),
            new Measure("submit rate", count / submitted.TotalSeconds, "tasks/s"),
            new Measure("PostgreSQL CPU", postgresCores, "cores"),
            new Measure("other processes' CPU", otherCores, "cores"),
            .. costs,
        ];
    }
}
