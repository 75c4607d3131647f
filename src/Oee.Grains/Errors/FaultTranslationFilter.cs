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

    public Task Invoke(IIncomingGrainCallContext context)
    {
        // Every grain call passes here: a call that already succeeded costs one check.
        Task call;
        try
        {
            call = context.Invoke();
        }
        catch (Exception exception)
        {
            call = Task.FromException(exception);
        }

        return call.IsCompletedSuccessfully ? call : Translated(call, context);
    }

    private async Task Translated(Task call, IIncomingGrainCallContext context)
    {
        try
        {
            await call;
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
}
