using Oee.Benchmarks.Load;
using Oee.Benchmarks.Measurement;
using Oee.Benchmarks.Targets;

namespace Oee.Benchmarks.Scenarios;

/// <summary>
/// A <see cref="DrainRun"/> with a subscriber to every event of its queue, started before the first
/// submit; also reports how many events per task the subscriber received (3 for an echo task:
/// submitted, started, succeeded), counted after the drain (untimed, up to a minute).
/// </summary>
internal sealed class WatchedDrainRun(IBenchTarget target, DrainRun drain, int count)
{
    private static readonly TimeSpan CatchUpLimit = TimeSpan.FromSeconds(60);

    public async Task<IReadOnlyList<Measure>> RunAsync(string queue, CancellationToken cancellationToken)
    {
        await using var watch = await EventWatch.StartAsync(target, queue, cancellationToken);
        var measures = await drain.RunAsync(queue, cancellationToken);
        var received = await watch.WaitForAsync(3L * count, CatchUpLimit, cancellationToken);
        return [.. measures, new Measure("events received per task", (double)received / count, "events")];
    }
}
