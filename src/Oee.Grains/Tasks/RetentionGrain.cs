using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Oee.Grains.Configuration;
using Oee.Grains.Contracts;
using Oee.Grains.Storage;
using Oee.Grains.Time;

namespace Oee.Grains.Tasks;

/// <summary>
/// Removes finished tasks once they are older than their status's retention time
/// (<see cref="OeeRetentionOptions"/>), every sweep interval on the engine clock, in steps so that
/// submits and other work interleave with it. One activation for the cluster, kept alive while it
/// runs; a reminder brings it back on another silo when its own stops.
/// </summary>
internal sealed partial class RetentionGrain(
    ITaskIndex index,
    IOptions<OeeRetentionOptions> options,
    IOptions<OeeOptions> engine,
    [FromKeyedServices(OeeClock.ServiceKey)] TimeProvider time,
    ILogger<RetentionGrain> logger) : SweepGrain("oee-retention-wake", engine.Value.QueueWakePeriod, time, logger), IRetentionGrain
{
    protected override TimeSpan Interval => options.Value.SweepInterval;

    protected override bool Enabled => options.Value.Enabled;

    Task IRetentionGrain.Start() => StartSweeping();

    protected override async Task Sweep()
    {
        var settings = options.Value;
        var now = Time.GetUtcNow();
        foreach (var (status, keep) in new[] { (OeeTaskStatus.Done, settings.Done), (OeeTaskStatus.Cancelled, settings.Cancelled), (OeeTaskStatus.Error, settings.Error) })
        {
            try
            {
                var removed = await FinishedTaskPurge.Run(index, GrainFactory, status, now - keep, settings.StepSize, settings.MaxPerSweep, settings.Parallelism, CancellationToken.None);
                if (removed > 0)
                {
                    LogSwept(logger, removed, status, keep);
                }
            }
            catch (Exception ex)
            {
                // The next sweep tries again; nothing is lost by waiting.
                LogSweepFailed(logger, ex, status);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention removed {Count} {Status} task(s) finished more than {Keep} ago")]
    private static partial void LogSwept(ILogger logger, int count, OeeTaskStatus status, TimeSpan keep);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention could not remove {Status} tasks this time; the next sweep tries again")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception, OeeTaskStatus status);
}
