using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Oee.Api.Models;

namespace Oee.Api.OpenApi;

/// <summary>
/// Request-body rules the attributes alone do not express: a <see cref="RequiredAttribute"/> member
/// may not be null (the C# type is nullable only so that a missing member is a 400 naming it rather
/// than a JSON error), and the items of a <see cref="ItemPatternAttribute"/> array follow its pattern.
/// </summary>
internal sealed class RequestContractSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var attributes = context.JsonPropertyInfo?.AttributeProvider;
        if (attributes is null)
        {
            return Task.CompletedTask;
        }

        if (attributes.IsDefined(typeof(RequiredAttribute), inherit: true) && schema.Type is { } type)
        {
            schema.Type = type & ~JsonSchemaType.Null;
        }

        if (attributes.GetCustomAttributes(typeof(ItemPatternAttribute), inherit: true) is [ItemPatternAttribute items, ..])
        {
            schema.Items = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Pattern = items.Pattern,
                MinLength = 1,
                MaxLength = items.MaxLength,
            };
        }

        return Task.CompletedTask;
    }
}
