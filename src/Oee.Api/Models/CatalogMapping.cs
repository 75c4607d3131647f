using Oee.Grains.Contracts;

namespace Oee.Api.Models;

/// <summary>Maps catalog models to their HTTP shape.</summary>
internal static class CatalogMapping
{
    public static ModelResponse ToResponse(this ModelInfo model) => new(
        model.Id,
        model.Kind switch
        {
            ModelKind.OpenAi => ModelKindName.OpenAi,
            ModelKind.Handler => ModelKindName.Handler,
            _ => ModelKindName.BuiltIn,
        },
        model.Capabilities,
        model.Local,
        new ModelPricingResponse(model.Pricing.PerCall, model.Pricing.PerThousandInputTokens, model.Pricing.PerThousandOutputTokens),
        model.Quality,
        System.Xml.XmlConvert.ToString(model.ExpectedLatency),
        model.MaxOutputTokens,
        model.Description);
}
