using Microsoft.AspNetCore.OpenApi;

namespace Oee.Api.OpenApi;

/// <summary>The OpenAPI document at <c>/openapi/v1.json</c>, shaped so that generated clients can trust it.</summary>
internal static class OeeOpenApiExtensions
{
    /// <summary>Adds the document and its transformers.</summary>
    public static IServiceCollection AddOeeOpenApi(this IServiceCollection services) => services.AddOpenApi(options =>
    {
        // Any-JSON values are inlined as the empty schema rather than referenced as a "JsonElement" type.
        options.CreateSchemaReferenceId = type => AnyJsonSchemaTransformer.IsAnyJson(type.Type) ? null : OpenApiOptions.CreateDefaultSchemaReferenceId(type);
        options.AddSchemaTransformer<AnyJsonSchemaTransformer>();
        options.AddSchemaTransformer<RequestContractSchemaTransformer>();
        options.AddSchemaTransformer<ResponseSchemaTransformer>();
        options.AddSchemaTransformer<EventStreamSchemaTransformer>();
        options.AddOperationTransformer<QueryParameterTypesTransformer>();
        options.AddOperationTransformer<DeclaredResponseDescriptionTransformer>();
        options.AddDocumentTransformer<DocumentInfoTransformer>();
        options.AddDocumentTransformer<SharedResponsesTransformer>();
    });
}
