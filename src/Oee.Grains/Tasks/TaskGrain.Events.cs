using Microsoft.Extensions.Logging;
using Oee.Grains.Contracts;
using Oee.Grains.Events;
using Oee.Grains.Workers;

namespace Oee.Grains.Tasks;

/// <summary>Progress reports of a task's body and the record of its webhook deliveries.</summary>
internal sealed partial class TaskGrain
{
    async Task ITaskEventsGrain.RecordWebhookDelivery(WebhookDelivery delivery)
    {
        await Loaded();
        await changeLock.WaitAsync();
        try
        {
            if (record is not { } task)
            {
                DeactivateOnIdle();
                return;
            }

            WebhookDelivery[] kept = [.. task.WebhookDeliveries.TakeLast(WebhookLimits.MaxDeliveriesKept - 1), delivery];
            await Persist(task with { WebhookDeliveries = kept });
            if (task.Status.IsFinal() && attemptCancellation is null)
            {
                DeactivateOnIdle();
            }
        }
        finally
        {
            changeLock.Release();
        }
    }

    /// <summary>
    /// Records the progress the body of <paramref name="body"/> reports, in this activation: the latest
    /// report at once, then at most one per <see cref="TaskEventPublisher.ProgressInterval"/>; once the
    /// body ended (<see cref="AttemptProgress.End"/>), the last unrecorded report (so it comes before the outcome).
    /// Started by the body's first report (<see cref="AttemptProgress.RecordWith"/>): a body that reports
    /// nothing runs none of it.
    /// </summary>
    private async Task RecordProgress(LocalAttempts.RunningAttempt body)
    {
        while (true)
        {
            await body.Progress.Reported;
            var ended = body.Progress.IsEnded;
            if (body.IsDetached)
            {
                return;
            }

            if (body.Progress.Take() is { } report)
            {
                try
                {
                    await Apply(new TaskCommand.Progress(body.Attempt, report.Percent, report.Message));
                }
                catch (Exception ex)
                {
                    LogProgressNotRecorded(logger, ex, Id, body.Attempt, ex.Message);
                }
            }

            if (ended)
            {
                return;
            }

            if (events.ProgressInterval > TimeSpan.Zero)
            {
                await Task.WhenAny(body.Progress.Ended, Task.Delay(events.ProgressInterval, time));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Progress of task {TaskId} attempt {Attempt} could not be recorded ({Reason}); the body runs on")]
    private static partial void LogProgressNotRecorded(ILogger logger, Exception exception, string taskId, int attempt, string reason);
}
