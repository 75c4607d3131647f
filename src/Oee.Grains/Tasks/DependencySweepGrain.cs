using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Oee.Grains.Cluster;
using Oee.Grains.Configuration;
using Oee.Grains.Contracts;
using Oee.Grains.Storage;
using Oee.Grains.Time;

namespace Oee.Grains.Tasks;

/// <summary>
/// The safety net of dependencies: every <see cref="OeeOptions.DependencyRecheckInterval"/> on the
/// engine clock it pages through the waiting tasks (the index's status listing) and asks each that
/// has waited longer than the interval to recheck its pending dependencies
/// (<see cref="ITaskEngineGrain.RecheckDependencies"/>). A finish message lost with a dead silo,
/// a dependent that died before recording it, or a crash between a cancel and its messages are
/// all made good within about two intervals, also after a full restart in durable mode (every
/// silo starts the sweep, and a reminder restarts it). One activation for the cluster.
/// </summary>
internal sealed partial class DependencySweepGrain(
    ITaskIndex index,
    IOptions<OeeOptions> options,
    [FromKeyedServices(OeeClock.ServiceKey)] TimeProvider time,
    ILogger<DependencySweepGrain> logger) : SweepGrain("oee-dependency-sweep-wake", options.Value.QueueWakePeriod, time, logger), IDependencySweepGrain
{
    private const int Parallelism = 64;

    protected override TimeSpan Interval => options.Value.DependencyRecheckInterval;

    Task IDependencySweepGrain.Start() => StartSweeping();

    protected override async Task Sweep()
    {
        // Tasks younger than the interval are skipped: their messages are most likely still on the way.
        var waitedSince = Time.GetUtcNow() - options.Value.DependencyRecheckInterval;
        var asked = 0;
        try
        {
            string? cursor = null;
            do
            {
                var page = await index.Query(new TaskQuery { Status = OeeTaskStatus.Waiting, Limit = TaskQuery.MaxLimit, Cursor = cursor });
                var due = page.Items.Where(t => t.CreatedAt <= waitedSince).Select(t => t.Id).ToList();
                foreach (var chunk in due.Chunk(Parallelism))
                {
                    await Task.WhenAll(chunk.Select(Recheck));
                }

                asked += due.Count;
                cursor = page.NextCursor;
            }
            while (cursor is not null);
        }
        catch (Exception ex)
        {
            // The next sweep tries again; a waiting task loses nothing by waiting.
            LogSweepFailed(logger, ex);
        }

        if (asked > 0)
        {
            LogSwept(logger, asked);
        }
    }

    private async Task Recheck(string taskId)
    {
        try
        {
            await GrainFactory.Reference<ITaskEngineGrain>(taskId).RecheckDependencies();
        }
        catch (Exception ex)
        {
            LogRecheckFailed(logger, ex, taskId);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Dependency sweep asked {Count} waiting task(s) to recheck their dependencies")]
    private static partial void LogSwept(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dependency sweep could not list the waiting tasks this time; the next sweep tries again")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waiting task {TaskId} could not recheck its dependencies; the next sweep asks again")]
    private static partial void LogRecheckFailed(ILogger logger, Exception exception, string taskId);
}
