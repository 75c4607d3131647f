using Microsoft.Extensions.Logging;
using Orleans.Serialization.Serializers;

namespace Oee.Grains.Errors;

/// <summary>
/// Runs around every call to a grain of OEE: an exception leaving the grain passes through
/// <see cref="FaultTranslation.AtGrainBoundary"/>, so callers (other grains, clients, the REST API)
/// get OEE's fault types, never a storage provider's exception or one Orleans cannot serialize.
/// Calls to other grains (Orleans' own, an application's) pass untouched.
/// </summary>
internal sealed partial class FaultTranslationFilter(ICodecProvider codecs, ILogger<FaultTranslationFilter> logger) : IIncomingGrainCallFilter
{
    private static readonly System.Reflection.Assembly OeeAssembly = typeof(FaultTranslationFilter).Assembly;

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception exception) when (context.Grain?.GetType().Assembly == OeeAssembly)
        {
            if (FaultTranslation.AtGrainBoundary(exception, IsSerializable) is not { } fault)
            {
                throw;
            }

            if (fault is OeeEngineFaultException)
            {
                LogEngineFault(logger, exception, context.InterfaceName, context.MethodName);
            }
            else
            {
                LogTranslated(logger, exception.GetType().Name, fault.GetType().Name, context.InterfaceName, context.MethodName, exception.Message);
            }

            throw fault;
        }
    }

    private bool IsSerializable(Type type) => codecs.TryGetCodec(type) is { } codec && codec is not ForeignExceptionCodec;

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Interface}.{Method} failed with an exception Orleans cannot serialize; the caller gets it as text")]
    private static partial void LogEngineFault(ILogger logger, Exception exception, string @interface, string method);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Interface}.{Method}: {Original} passed on as {Fault}: {Text}")]
    private static partial void LogTranslated(ILogger logger, string original, string fault, string @interface, string method, string text);
}
