using Microsoft.Extensions.Logging;

namespace Oee.Grains.Errors;

internal sealed partial class FaultTranslationFilter
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "{Interface}.{Method} failed with an exception Orleans cannot serialize; the caller gets it as text")]
    private static partial void LogEngineFault(ILogger logger, Exception exception, string @interface, string method);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Interface}.{Method}: {Original} passed on as {Fault}: {Text}")]
    private static partial void LogTranslated(ILogger logger, string original, string fault, string @interface, string method, string text);
}
