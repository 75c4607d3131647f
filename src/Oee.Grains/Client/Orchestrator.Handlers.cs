using Oee.Grains.Contracts;

namespace Oee.Grains.Client;

/// <summary>The handler catalog: one call to a stateless worker.</summary>
internal sealed partial class Orchestrator
{
    /// <inheritdoc />
    public Task<HandlerInfo[]> ListHandlersAsync(CancellationToken cancellationToken = default) =>
        grains.GetGrain<IHandlerCatalogGrain>(0).List(cancellationToken);
}
