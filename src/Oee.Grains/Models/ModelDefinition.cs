using Oee.Grains.Configuration;
using Oee.Grains.Contracts;

namespace Oee.Grains.Models;

/// <summary>A catalog model: what callers see (<see cref="Info"/>, no secrets) and how to call it (<see cref="Settings"/>, with the API key).</summary>
/// <param name="Info">The public description.</param>
/// <param name="Settings">The validated configuration entry.</param>
internal sealed record ModelDefinition(ModelInfo Info, OeeModelOptions Settings)
{
    /// <summary>The definition of a validated entry.</summary>
    public static ModelDefinition From(string id, OeeModelOptions settings)
    {
        var pricing = settings.Pricing ?? new OeeModelPricingOptions();
        var info = new ModelInfo
        {
            Id = id,
            Kind = ModelKinds.Parse(settings.Kind) ?? throw new ArgumentException($"Model '{id}' has an unknown kind '{settings.Kind}'.", nameof(settings)),
            Capabilities = [.. settings.Capabilities.Distinct(StringComparer.Ordinal)],
            Local = settings.Local,
            Pricing = new ModelPricing
            {
                PerCall = pricing.PerCall,
                PerThousandInputTokens = pricing.PerThousandInputTokens,
                PerThousandOutputTokens = pricing.PerThousandOutputTokens,
            },
            Quality = settings.Quality,
            ExpectedLatency = settings.ExpectedLatency,
            MaxOutputTokens = settings.MaxOutputTokens,
            Description = settings.Description,
        };
        return new ModelDefinition(info, settings);
    }
}
