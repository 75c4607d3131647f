using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Oee.Api.Errors;

namespace Oee.Api.OpenApi;

/// <summary>
/// What every operation shares, added once the operations are built: errors are
/// <c>application/problem+json</c> with a <c>traceId</c>; any operation may answer 503 (the cluster
/// or its database unavailable, with Retry-After) or another 5XX; 201 and 202 carry a Location; the
/// document declares no security requirement yet (<c>security: []</c>), and one relative server,
/// <c>/</c>: the host that serves the document (clients elsewhere set their base URL).
/// </summary>
internal sealed class ResponsesDocumentTransformer : IOpenApiDocumentTransformer
{
    private const string ProblemJson = "application/problem+json";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Servers = [new OpenApiServer { Url = "/", Description = "The host that serves this document." }];

        // The writer leaves out an empty Security list; written as an extension member it comes out
        // as the standard "security": [] (no requirement). The security issue replaces it with schemes.
        document.Security = null;
        document.Extensions ??= new Dictionary<string, IOpenApiExtension>();
        document.Extensions["security"] = new JsonNodeExtension(new JsonArray());
        document.Tags = new HashSet<OpenApiTag>
        {
            new() { Name = "Tasks", Description = "Submit, get, list, cancel and clear tasks." },
            new() { Name = "Queues", Description = "Inspect queues and set their concurrency limit and pause." },
            new() { Name = "System", Description = "The cluster at a glance." },
        };
        document.Info.Description = "OEE: a distributed priority task engine. Submit tasks (a handler name, any JSON input, a priority 0–10, a queue), "
            + "watch, list and cancel them, and configure queues. Errors are problem details (RFC 9457) with a traceId; a 400 names each bad field in errors.";

        var schemas = document.Components?.Schemas ?? new Dictionary<string, IOpenApiSchema>();
        AddTraceId(schemas, "ProblemDetails");
        AddTraceId(schemas, "HttpValidationProblemDetails");

        foreach (var operation in document.Paths.Values.SelectMany(p => p.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>()))
        {
            operation.Responses ??= [];
            foreach (var (status, response) in operation.Responses)
            {
                if (response is not OpenApiResponse concrete)
                {
                    continue;
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

            operation.Responses["503"] = new OpenApiResponse
            {
                Description = "The cluster or its database is unavailable; retry after the Retry-After delay.",
                Headers = new Dictionary<string, IOpenApiHeader>
                {
                    ["Retry-After"] = new OpenApiHeader
                    {
                        Description = "Seconds to wait before retrying.",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
                    },
                },
                Content = ProblemContent(document),
            };
            operation.Responses["5XX"] = new OpenApiResponse
            {
                Description = "An unexpected error inside the service (a bug); the problem's traceId finds it in the logs.",
                Content = ProblemContent(document),
            };
        }

        return Task.CompletedTask;
    }

    private static Dictionary<string, OpenApiMediaType> ProblemContent(OpenApiDocument document) => new()
    {
        [ProblemJson] = new OpenApiMediaType { Schema = new OpenApiSchemaReference("ProblemDetails", document) },
    };

    private static void AddTraceId(IDictionary<string, IOpenApiSchema> schemas, string name)
    {
        if (schemas.TryGetValue(name, out var found) && found is OpenApiSchema schema)
        {
            schema.Description ??= "A problem details object (RFC 9457).";
            schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
            schema.Properties[ApiProblems.TraceIdKey] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Description = "The request's trace id: quote it to find the request in the service's logs and traces.",
            };
        }
    }
}
