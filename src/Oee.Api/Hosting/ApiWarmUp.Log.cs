namespace Oee.Api.Hosting;

internal sealed partial class ApiWarmUp
{
    [LoggerMessage(Level = LogLevel.Information, Message = "API request pipeline warmed up in {ElapsedMs} ms: {Rounds} rounds ({Answers}), {Methods} methods compiled")]
    private static partial void LogWarmedUp(ILogger logger, int rounds, long methods, long elapsedMs, string answers);

    [LoggerMessage(Level = LogLevel.Information, Message = "The API warm-up was skipped: the server has no http:// address to send its requests to")]
    private static partial void LogNoAddress(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The API warm-up did not finish within Oee:Api:WarmUp:MaxDuration ({MaxDuration}); the API serves without it")]
    private static partial void LogTimedOut(ILogger logger, TimeSpan maxDuration);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The API warm-up failed; the API serves without it")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
