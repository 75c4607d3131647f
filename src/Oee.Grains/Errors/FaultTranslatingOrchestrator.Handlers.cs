using Oee.Grains.Contracts;

namespace Oee.Grains.Errors;

/// <summary>The handler catalog, translated as every other call.</summary>
internal sealed partial class FaultTranslatingOrchestrator
{
    public Task<HandlerInfo[]> ListHandlersAsync(CancellationToken cancellationToken = default) =>
        Guard(RejectedCallRetry.Run(inner.ListHandlersAsync, cancellationToken));
}
