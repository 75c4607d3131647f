using Oee.Grains.Contracts;
using Orleans.CodeGeneration;

namespace Oee.Grains.Models;

/// <summary>The silo's model catalog for callers outside it (the orchestrator, an Orleans client).</summary>
[Version(1)]
[Alias("oee.model-catalog")]
internal interface IModelCatalogGrain : IGrainWithIntegerKey
{
    /// <summary>Every model, ordered by id.</summary>
    [Alias("list"), ReadOnly]
    Task<ModelInfo[]> List();

    /// <summary>The model with this id, or null.</summary>
    [Alias("get"), ReadOnly]
    Task<ModelInfo?> Get(string id);
}
