using Oee.Grains.Contracts;

namespace Oee.Grains.Models;

/// <summary>Answers from the catalog of the silo it runs on (every silo validates the same configuration at start).</summary>
[StatelessWorker]
internal sealed class ModelCatalogGrain(IModelCatalog catalog) : Grain, IModelCatalogGrain
{
    Task<ModelInfo[]> IModelCatalogGrain.List() => Task.FromResult(catalog.Models.ToArray());

    Task<ModelInfo?> IModelCatalogGrain.Get(string id) => Task.FromResult(catalog.Find(id));
}
