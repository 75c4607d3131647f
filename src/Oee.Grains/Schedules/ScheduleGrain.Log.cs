using Microsoft.Extensions.Logging;
using Oee.Grains.Contracts;

namespace Oee.Grains.Schedules;

internal sealed partial class ScheduleGrain
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Schedule {Schedule} {Status}: cron '{Cron}' in {TimeZone}, paused {Paused}")]
    private static partial void LogPut(ILogger logger, string schedule, SchedulePutStatus status, string cron, string timeZone, bool paused);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedule {Schedule} deleted")]
    private static partial void LogDeleted(ILogger logger, string schedule);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedule {Schedule} paused: {Paused}")]
    private static partial void LogPaused(ILogger logger, string schedule, bool paused);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedule {Schedule} skipped {Count} missed occurrence(s), the newest at {Through:O}")]
    private static partial void LogMissed(ILogger logger, string schedule, long count, DateTimeOffset through);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedule {Schedule} found {Count} occurrence(s) through {Through:O} submitted before its silo stopped and recorded them as runs")]
    private static partial void LogRecordedAfterStop(ILogger logger, string schedule, int count, DateTimeOffset through);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Schedule {Schedule} could not submit its occurrence at {Occurrence:O}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string schedule, DateTimeOffset occurrence, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Schedule {Schedule} could not run what is due; it tries again in {RetryAfter}")]
    private static partial void LogFireFailed(ILogger logger, Exception exception, string schedule, TimeSpan retryAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Schedule {Schedule} could not update its wake-up reminder")]
    private static partial void LogReminderFailed(ILogger logger, Exception exception, string schedule);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Schedule {Schedule} could not wake a new activation as its silo stops; its reminder will")]
    private static partial void LogWakeElsewhereFailed(ILogger logger, Exception exception, string schedule);
}
