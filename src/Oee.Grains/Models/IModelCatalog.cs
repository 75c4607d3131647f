using Oee.Grains.Contracts;

namespace Oee.Grains.Models;

/// <summary>The models configured under <c>Oee:Models</c> (checked at silo start), as strategies plan with them.</summary>
internal interface IModelCatalog
{
    /// <summary>Every model, ordered by id.</summary>
    IReadOnlyList<ModelInfo> Models { get; }

    /// <summary>The model with this id, or null.</summary>
    ModelInfo? Find(string id);
}
