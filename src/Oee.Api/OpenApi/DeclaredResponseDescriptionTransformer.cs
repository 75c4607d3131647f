using System.Globalization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Oee.Api.OpenApi;

/// <summary>
/// An answer a result type declares with a description (<see cref="IProducesResponseTypeMetadata.Description"/>, e.g.
/// <see cref="Errors.TooManyStreamsProblem"/>'s 429, <see cref="Errors.QueueFullProblem"/>'s on the submit routes) gets that description in the document instead of the status's
/// reason phrase, which the generator writes for metadata declared by a <c>Results&lt;...&gt;</c> member.
/// </summary>
internal sealed class DeclaredResponseDescriptionTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var declared in context.Description.ActionDescriptor.EndpointMetadata.OfType<IProducesResponseTypeMetadata>())
        {
            if (declared.Description is { Length: > 0 } description
                && operation.Responses?.TryGetValue(declared.StatusCode.ToString(CultureInfo.InvariantCulture), out var response) == true
                && response is OpenApiResponse concrete)
            {
                concrete.Description = description;
            }
        }

        return Task.CompletedTask;
    }
}
