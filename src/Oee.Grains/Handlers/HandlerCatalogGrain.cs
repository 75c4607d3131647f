using Oee.Grains.Contracts;

namespace Oee.Grains.Handlers;

/// <summary>Lists this silo's <see cref="TaskHandlerRegistry"/>.</summary>
[StatelessWorker]
internal sealed class HandlerCatalogGrain(TaskHandlerRegistry handlers) : Grain, IHandlerCatalogGrain
{
    Task<HandlerInfo[]> IHandlerCatalogGrain.List(CancellationToken cancellationToken) =>
        Task.FromResult(handlers.Describe());
}
