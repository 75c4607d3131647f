using System.Net.ServerSentEvents;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Oee.Api.OpenApi;

/// <summary>
/// Describes the items of the Server-Sent Events streams (<c>text/event-stream</c>): each is one SSE
/// message whose data is the event JSON of README "Events, progress and webhooks".
/// </summary>
internal sealed class EventStreamSchemaTransformer : IOpenApiSchemaTransformer
{
    private static readonly Dictionary<string, string> Members = new(StringComparer.Ordinal)
    {
        ["data"] = "The SSE data line: the task event as JSON (taskId, queue, tenant when the task has one, kind, oldStatus, status, attempt, version, at, reason, silo, progress, error), or the ready/reset message's JSON.",
        ["eventType"] = "The SSE event name: task, ready (first message of every stream) or reset (the Last-Event-ID was outside the resume window).",
        ["eventId"] = "The SSE id: the event's id, to send back as Last-Event-ID; absent on ready, reset and snapshot messages.",
        ["reconnectionInterval"] = "The SSE retry field; not sent.",
    };

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonPropertyInfo is null && context.JsonTypeInfo.Type == typeof(SseItem<string>))
        {
            schema.Description = "One Server-Sent Events message of a text/event-stream response.";
            foreach (var (name, property) in schema.Properties ?? new Dictionary<string, IOpenApiSchema>())
            {
                if (property is OpenApiSchema member && Members.TryGetValue(name, out var description))
                {
                    member.Description = description;
                }
            }
        }

        return Task.CompletedTask;
    }
}
