using Oee.Grains.Contracts;

namespace Oee.Grains.Client;

/// <summary>The task handlers a submit may name.</summary>
public partial interface IOrchestrator
{
    /// <summary>The handlers registered on the silo that answers (its gateway's, for a client), by name.</summary>
    Task<HandlerInfo[]> ListHandlersAsync(CancellationToken cancellationToken = default);
}
