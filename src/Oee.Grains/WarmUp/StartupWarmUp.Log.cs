using Microsoft.Extensions.Logging;

namespace Oee.Grains.WarmUp;

internal sealed partial class StartupWarmUp
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Warmed up in {ElapsedMs} ms: {Rounds} rounds, {Tasks} tasks run and purged, {Methods} methods compiled")]
    private static partial void LogWarmedUp(ILogger logger, int rounds, int tasks, long methods, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The start-up warm-up did not finish within Oee:WarmUp:MaxDuration ({MaxDuration}); the silo starts without it")]
    private static partial void LogTimedOut(ILogger logger, TimeSpan maxDuration);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The start-up warm-up failed; the silo starts without it")]
    private static partial void LogFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "The start-up warm-up ended early: the silo is asked to stop")]
    private static partial void LogStopped(ILogger logger);
}
