using Microsoft.Extensions.Logging;

namespace Oee.Grains.WarmUp;

internal sealed partial class ClientWarmUp
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Client warmed up in {ElapsedMs} ms: {Rounds} rounds, {Methods} methods compiled")]
    private static partial void LogWarmedUp(ILogger logger, int rounds, long methods, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The client warm-up did not finish within Oee:ClientWarmUp:MaxDuration ({MaxDuration}); the client starts without it")]
    private static partial void LogTimedOut(ILogger logger, TimeSpan maxDuration);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The client warm-up failed; the client starts without it")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
