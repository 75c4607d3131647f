namespace Oee.Api.Security;

internal sealed partial class ApiKeyAuthenticationHandler
{
    // A key guesser meets the rate limiter's 429 after its burst, but authentication runs first: each of its requests is
    // a refused key. The first from a client address (an IPv6 address: its /64 network) in a minute is a Warning, counting
    // those logged at Debug since.
    private void LogRejectedKey(System.Net.IPAddress? address)
    {
        var remoteAddress = address?.ToString() ?? "?";
        var decision = rejectedKeyLog.Register(ClientNetwork.Of(address));
        if (decision.IsWarning)
        {
            LogRejectedKeyWarning(Logger, remoteAddress, decision.Suppressed, decision.Scope);
        }
        else
        {
            LogRejectedKeyDebug(Logger, remoteAddress);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request from {RemoteAddress} refused: its API key is not valid ({Suppressed} such refusals from {Scope} logged at Debug since the last warning; at most one warning a minute)")]
    private static partial void LogRejectedKeyWarning(ILogger logger, string remoteAddress, int suppressed, string scope);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Request from {RemoteAddress} refused: its API key is not valid (again within the minute)")]
    private static partial void LogRejectedKeyDebug(ILogger logger, string remoteAddress);
}
