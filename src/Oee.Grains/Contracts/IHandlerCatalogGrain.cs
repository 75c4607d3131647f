using Orleans.CodeGeneration;

namespace Oee.Grains.Contracts;

/// <summary>
/// The task handlers registered on the silo that answers (a stateless worker: a client's call lands
/// on its gateway's silo, the one that also checks its submits' handler names).
/// </summary>
[Version(1)]
[Alias("oee.dashboard-handler-catalog")]
public interface IHandlerCatalogGrain : IGrainWithIntegerKey
{
    /// <summary>Every registered handler, by name.</summary>
    [Alias("list"), ReadOnly]
    Task<HandlerInfo[]> List(CancellationToken cancellationToken = default);
}
