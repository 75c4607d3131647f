using System.Text.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Oee.Api.OpenApi;

/// <summary>
/// A <see cref="JsonElement"/> (a task's input or result) is any JSON value: an object, an array,
/// a string, a number, a boolean or null. Its schema is the empty schema, so that generated clients
/// read 1, "hello" and [1,2,3] back as they were sent instead of as an empty object.
/// </summary>
internal sealed class AnyJsonSchemaTransformer : IOpenApiSchemaTransformer
{
    /// <summary>True for the types whose schema is any JSON.</summary>
    public static bool IsAnyJson(Type type) => type == typeof(JsonElement) || type == typeof(JsonElement?);

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (IsAnyJson(context.JsonTypeInfo.Type))
        {
            schema.Type = null;
            schema.OneOf = null;
            schema.AnyOf = null;
            schema.Properties = null;
            schema.AdditionalProperties = null;
            schema.Format = null;
        }

        return Task.CompletedTask;
    }
}
