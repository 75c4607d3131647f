using Microsoft.Extensions.Options;
using Oee.Grains.Configuration;
using Oee.Grains.Contracts;

namespace Oee.Grains.Models;

/// <summary>The silo's catalog: the configured models (validated at start), or the built-in demo catalog when none is configured.</summary>
internal sealed class ModelCatalog : IModelCatalog
{
    private readonly Dictionary<string, ModelDefinition> definitions;

    public ModelCatalog(IOptions<OeeModelCatalogOptions> options)
    {
        var configured = options.Value.Models;
        var entries = configured.Count == 0 ? DefaultModelCatalog.Entries() : configured;
        definitions = entries.ToDictionary(e => e.Key, e => ModelDefinition.From(e.Key, e.Value), StringComparer.Ordinal);
        Models = [.. definitions.Values.Select(d => d.Info).OrderBy(m => m.Id, StringComparer.Ordinal)];
        IsDefault = configured.Count == 0;
    }

    /// <inheritdoc />
    public IReadOnlyList<ModelInfo> Models { get; }

    /// <summary>True when no model is configured and the built-in demo catalog is used.</summary>
    public bool IsDefault { get; }

    /// <inheritdoc />
    public ModelInfo? Find(string id) => Definition(id)?.Info;

    /// <summary>The model with this id and how to call it, or null.</summary>
    public ModelDefinition? Definition(string id) => id is not null && definitions.TryGetValue(id, out var definition) ? definition : null;
}
