using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Oee.Api.Models.Validation;
using Oee.Grains.Contracts;

namespace Oee.Api.OpenApi;

/// <summary>
/// Query values are bound as text and checked by validation attributes (so that a bad value is a 400
/// naming it); this gives them their real types in the document: a <see cref="WireNameAttribute{TEnum}"/>
/// value is that enum, a <see cref="WholeNumberAttribute"/> value an integer in its range (the page
/// size defaulting to <see cref="TaskQuery.DefaultLimit"/>), a <see cref="DurationAttribute"/> value a duration.
/// </summary>
internal sealed class QueryParameterTypesTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            var described = context.Description.ParameterDescriptions.FirstOrDefault(p => p.Name == parameter.Name);
            if ((described?.ParameterDescriptor as IParameterInfoParameterDescriptor)?.ParameterInfo is not { } info)
            {
                continue;
            }

            foreach (var attribute in info.GetCustomAttributes(inherit: true))
            {
                var type = attribute.GetType();
                if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(WireNameAttribute<>))
                {
                    parameter.Schema = new OpenApiSchemaReference(type.GetGenericArguments()[0].Name, context.Document);
                }
                else if (attribute is WholeNumberAttribute number)
                {
                    parameter.Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Integer,
                        Format = "int32",
                        Minimum = number.Minimum.ToString(CultureInfo.InvariantCulture),
                        Maximum = number.Maximum.ToString(CultureInfo.InvariantCulture),
                        Default = info.Name == "limit" ? JsonValue.Create(TaskQuery.DefaultLimit) : null,
                    };
                }
                else if (attribute is TruthValueAttribute)
                {
                    parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.Boolean };
                }
                else if (attribute is DurationAttribute)
                {
                    parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "duration" };
                }
            }
        }

        return Task.CompletedTask;
    }
}
