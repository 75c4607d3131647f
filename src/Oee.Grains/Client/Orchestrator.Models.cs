using Oee.Grains.Contracts;
using Oee.Grains.Models;

namespace Oee.Grains.Client;

/// <summary>The model catalog, from a stateless catalog grain on any silo.</summary>
internal sealed partial class Orchestrator
{
    /// <inheritdoc />
    public Task<ModelInfo[]> ListModelsAsync(CancellationToken cancellationToken = default) =>
        grains.GetGrain<IModelCatalogGrain>(0).List().WaitAsync(cancellationToken);

    /// <inheritdoc />
    public Task<ModelInfo?> GetModelAsync(string id, CancellationToken cancellationToken = default) =>
        TaskLimits.IsIdentifier(id)
            ? grains.GetGrain<IModelCatalogGrain>(0).Get(id).WaitAsync(cancellationToken)
            : Task.FromResult<ModelInfo?>(null);
}
