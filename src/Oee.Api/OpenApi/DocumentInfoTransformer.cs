using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Oee.Api.OpenApi;

/// <summary>
/// The document's own parts: a description, tag descriptions, the API-key security schemes (the
/// <c>X-Api-Key</c> header, or <c>Authorization: Bearer</c>) required by every operation, and one
/// relative server, <c>/</c>: the host that serves the document (clients elsewhere set their base URL).
/// </summary>
internal sealed class DocumentInfoTransformer : IOpenApiDocumentTransformer
{
    private const string ApiKeyScheme = "apiKey";
    private const string BearerScheme = "bearer";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Servers = [new OpenApiServer { Url = "/", Description = "The host that serves this document." }];

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
        {
            [ApiKeyScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = "X-Api-Key",
                Description = "An API key (oee_…). Without keys configured, the API answers only on loopback and needs none.",
            },
            [BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "The same API key as a bearer token: Authorization: Bearer oee_…",
            },
        };

        // Either scheme satisfies an operation.
        document.Security =
        [
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyScheme, document)] = [] },
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] },
        ];
        document.Tags = new HashSet<OpenApiTag>
        {
            new() { Name = "Tasks", Description = "Submit, get, list, cancel and clear tasks." },
            new() { Name = "Queues", Description = "Inspect queues and set their concurrency limit and pause." },
            new() { Name = "System", Description = "The cluster at a glance." },
        };
        document.Info.Description = "OEE: a distributed priority task engine. Submit tasks (a handler name, any JSON input, a priority 0–10, a queue), "
            + "watch, list and cancel them, and configure queues. Errors are problem details (RFC 9457) with a traceId; a 400 names each bad field in errors.";

        return Task.CompletedTask;
    }
}
