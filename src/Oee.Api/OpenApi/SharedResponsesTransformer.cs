using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Oee.Api.Errors;

namespace Oee.Api.OpenApi;

/// <summary>
/// The answers every operation shares, added once the operations are built: problems carry a
/// <c>traceId</c>; any operation may answer 503 (the cluster or its database unavailable, with
/// Retry-After) or another 5XX; 401 without a valid API key, 403 when the key's role does not allow the
/// operation, 429 when the key sent more requests than its rate; 201 and 202 carry a Location.
/// </summary>
internal sealed class SharedResponsesTransformer : IOpenApiDocumentTransformer
{
    private const string ProblemJson = "application/problem+json";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var schemas = document.Components?.Schemas ?? new Dictionary<string, IOpenApiSchema>();
        DescribeProblem(schemas, "ProblemDetails");
        DescribeProblem(schemas, "HttpValidationProblemDetails");

        foreach (var operation in document.Paths.Values.SelectMany(p => p.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>()))
        {
            operation.Responses ??= [];
            foreach (var (status, response) in operation.Responses)
            {
                if (response is not OpenApiResponse concrete)
                {
                    continue;
                }

                // A full queue's 429 says when to try again; the event-stream limit's does not (a place frees when a stream closes).
                if (status == "429" && concrete.Description != TooManyStreamsProblem.OpenApiDescription)
                {
                    concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
                    concrete.Headers["Retry-After"] = RetryAfterHeader("Seconds to wait before submitting again.");
                }

                if (status is "201" or "202")
                {
                    concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
                    concrete.Headers["Location"] = new OpenApiHeader
                    {
                        Description = "The task's URL (GET it to follow the task).",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri-reference" },
                    };
                }
            }

            operation.Responses["401"] = ProblemResponse(document, "No valid API key was sent (X-Api-Key or Authorization: Bearer).");
            operation.Responses["403"] = ProblemResponse(document, "The API key's role does not allow this operation (or, for a submitter, the task is another key's).");
            operation.Responses.TryAdd("429", ProblemResponse(document, "The API key sent more requests than its rate allows; wait Retry-After seconds.", "Seconds to wait before sending again."));
            operation.Responses["503"] = ProblemResponse(document, "The cluster or its database is unavailable; retry after the Retry-After delay.", "Seconds to wait before retrying.");
            operation.Responses["5XX"] = new OpenApiResponse
            {
                Description = "An unexpected error inside the service (a bug); the problem's traceId finds it in the logs.",
                Content = ProblemContent(document),
            };
        }

        return Task.CompletedTask;
    }

    // A problem answer, with a Retry-After header when it says how long to wait.
    private static OpenApiResponse ProblemResponse(OpenApiDocument document, string description, string? retryAfter = null) => new()
    {
        Description = description,
        Headers = retryAfter is null ? null : new Dictionary<string, IOpenApiHeader> { ["Retry-After"] = RetryAfterHeader(retryAfter) },
        Content = ProblemContent(document),
    };

    private static OpenApiHeader RetryAfterHeader(string description) => new()
    {
        Description = description,
        Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
    };

    private static Dictionary<string, OpenApiMediaType> ProblemContent(OpenApiDocument document) => new()
    {
        [ProblemJson] = new OpenApiMediaType { Schema = new OpenApiSchemaReference("ProblemDetails", document) },
    };

    private static readonly Dictionary<string, string> ProblemMembers = new()
    {
        ["type"] = "A URI naming the kind of problem.",
        ["title"] = "A short summary of the kind of problem.",
        ["status"] = "The HTTP status code.",
        ["detail"] = "What went wrong with this request.",
        ["instance"] = "A URI naming this occurrence, when given.",
        ["errors"] = "For a 400: the messages for each invalid field, by field name (a batch's tasks as tasks[i].field).",
    };

    // Describes the problem schemas' members and adds the traceId every problem of this API carries.
    private static void DescribeProblem(IDictionary<string, IOpenApiSchema> schemas, string name)
    {
        if (!schemas.TryGetValue(name, out var found) || found is not OpenApiSchema schema)
        {
            return;
        }

        schema.Description ??= "A problem details object (RFC 9457).";
        schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
        foreach (var (member, property) in schema.Properties)
        {
            if (property is OpenApiSchema concrete && ProblemMembers.TryGetValue(member, out var description))
            {
                concrete.Description ??= description;
            }
        }

        schema.Properties[ApiProblems.TraceIdKey] = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Description = "The request's trace id: quote it to find the request in the service's logs and traces.",
        };
    }
}
