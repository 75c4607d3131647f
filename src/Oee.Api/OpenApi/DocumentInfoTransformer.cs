using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Oee.Api.OpenApi;

/// <summary>
/// The document's own parts: a description, tag descriptions, no security requirement yet
/// (<c>security: []</c>), and one relative server, <c>/</c>: the host that serves the document
/// (clients elsewhere set their base URL).
/// </summary>
internal sealed class DocumentInfoTransformer : IOpenApiDocumentTransformer
{
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

        return Task.CompletedTask;
    }
}
