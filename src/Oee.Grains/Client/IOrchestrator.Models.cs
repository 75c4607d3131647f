using Oee.Grains.Contracts;

namespace Oee.Grains.Client;

/// <summary>The model catalog (<c>Oee:Models</c>), as the silos read it at start.</summary>
public partial interface IOrchestrator
{
    /// <summary>Every model of the catalog, ordered by id. API keys are never part of it.</summary>
    Task<ModelInfo[]> ListModelsAsync(CancellationToken cancellationToken = default);

    /// <summary>The model with this id, or null when the catalog has none.</summary>
    Task<ModelInfo?> GetModelAsync(string id, CancellationToken cancellationToken = default);
}
