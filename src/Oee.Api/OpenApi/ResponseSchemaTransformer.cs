using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Oee.Api.OpenApi;

/// <summary>
/// Answers always carry every member (null ones included), so every property of a <c>...Response</c>
/// schema is required; and a string enum's schema says it is a string.
/// </summary>
internal sealed class ResponseSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (context.JsonPropertyInfo is null && type.Namespace == typeof(Models.TaskResponse).Namespace
            && type.Name.EndsWith("Response", StringComparison.Ordinal) && schema.Properties is { Count: > 0 } properties)
        {
            schema.Required = new HashSet<string>(properties.Keys, StringComparer.Ordinal);
        }

        if (type.IsEnum && schema.Enum is { Count: > 0 } && schema.Type is null)
        {
            schema.Type = JsonSchemaType.String;
        }

        return Task.CompletedTask;
    }
}
