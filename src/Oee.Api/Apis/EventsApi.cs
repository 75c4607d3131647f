using System.ComponentModel;
using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Oee.Api.Errors;
using Oee.Api.Models.Validation;
using Oee.Api.Security;
using Oee.Grains.Client;
using Oee.Grains.Contracts;
using Oee.Grains.Events;

namespace Oee.Api.Apis;

/// <summary>Server-Sent Events: <c>/api/tasks/{id}/events</c> and <c>/api/events</c>.</summary>
public static class EventsApi
{
    /// <summary>The SSE event name of a task event.</summary>
    public const string TaskEventName = "task";

    /// <summary>The SSE event name of the first message of every stream (so that the response starts at once).</summary>
    public const string ReadyEventName = "ready";

    /// <summary>The SSE event name sent when a <c>Last-Event-ID</c> is outside the resume window.</summary>
    public const string ResetEventName = "reset";

    private const string LastEventIdHeader = "Last-Event-ID";

    /// <summary>Maps the event routes.</summary>
    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/tasks/{id}/events", WatchTask)
            .OpenToTenants()
            .WithTags("Events")
            .WithName("WatchTaskEvents")
            .WithDescription("Server-Sent Events of one task (event: task, data: the event JSON, id: the event id). Without Last-Event-ID it starts with a snapshot of the task; it ends after the task's final event. With Last-Event-ID it replays exactly the events after that id (within the resume window, Oee:Events:FeedWindow events), else sends event: reset and a snapshot. 404 for an unknown task; 429 when the API key (without keys, the client address) already has Oee:Api:Security:MaxEventStreamsPerKey streams open.");
        app.MapGet("/api/events", WatchEvents)
            .OpenToTenants()
            .WithTags("Events")
            .WithName("WatchEvents")
            .WithDescription("Server-Sent Events of every task of one queue (queue given) or of all queues (a tenant-bound API key: only its tenant's tasks), live until the client leaves. Last-Event-ID resumes as on a task stream (event: reset when outside the window, then from now). 429 when the API key (without keys, the client address) already has Oee:Api:Security:MaxEventStreamsPerKey streams open.");
        return app;
    }

    /// <summary>Watch one task's events (SSE)</summary>
    /// <param name="id">The task id.</param>
    /// <param name="lastEventId">The id of the last event read, to resume after it (browsers' EventSource send it when they reconnect).</param>
    /// <param name="orchestrator">The OEE facade.</param>
    /// <param name="events">This node's event feed.</param>
    /// <param name="httpContext">The request.</param>
    /// <param name="cancellationToken">Fires when the client goes away.</param>
    public static async Task<Results<ServerSentEventsResult<string>, ValidationProblem, NotFoundProblem, TooManyStreamsProblem>> WatchTask(
        [Identifier] string id,
        [FromHeader(Name = LastEventIdHeader), Description("The id of the last event read, to resume after it (browsers' EventSource send it when they reconnect).")] string? lastEventId,
        IOrchestrator orchestrator,
        ITaskEventSource events,
        HttpContext httpContext,
        CancellationToken cancellationToken)
    {
        if (!TryParseEventId(lastEventId, out var after))
        {
            return ApiProblems.Invalid(httpContext, InvalidEventId());
        }

        if (OpenStream(httpContext) is { } tooMany)
        {
            return tooMany;
        }

        // Subscribed before the task is read, so that no change falls between its snapshot and its events.
        var subscription = await events.SubscribeAsync(TenantScope.Narrow(httpContext.User, TaskEventFilter.ForTask(id)), after, cancellationToken);
        TaskRecord? task;
        try
        {
            task = TenantScope.Visible(httpContext.User, await orchestrator.GetAsync(id, cancellationToken));
        }
        catch
        {
            subscription.Dispose();
            throw;
        }

        if (task is null)
        {
            subscription.Dispose();
            return ApiProblems.NotFound(httpContext, TenantScope.NotFound(id));
        }

        return TypedResults.ServerSentEvents(TaskStream(subscription, task, after is null, events.LastEventId, cancellationToken));
    }

    /// <summary>Watch the events of one queue or of all queues (SSE)</summary>
    /// <param name="queue">Only this queue's tasks; all queues when omitted.</param>
    /// <param name="lastEventId">The id of the last event read, to resume after it (browsers' EventSource send it when they reconnect).</param>
    /// <param name="events">This node's event feed.</param>
    /// <param name="httpContext">The request.</param>
    /// <param name="cancellationToken">Fires when the client goes away.</param>
    public static async Task<Results<ServerSentEventsResult<string>, ValidationProblem, TooManyStreamsProblem>> WatchEvents(
        [FromQuery, Identifier] string? queue,
        [FromHeader(Name = LastEventIdHeader), Description("The id of the last event read, to resume after it (browsers' EventSource send it when they reconnect).")] string? lastEventId,
        ITaskEventSource events,
        HttpContext httpContext,
        CancellationToken cancellationToken)
    {
        if (!TryParseEventId(lastEventId, out var after))
        {
            return ApiProblems.Invalid(httpContext, InvalidEventId());
        }

        if (OpenStream(httpContext) is { } tooMany)
        {
            return tooMany;
        }

        // A tenant key's stream carries only its tenant's events.
        var filter = TenantScope.Narrow(httpContext.User, string.IsNullOrEmpty(queue) ? TaskEventFilter.All : TaskEventFilter.ForQueue(queue));
        var subscription = await events.SubscribeAsync(filter, after, cancellationToken);
        return TypedResults.ServerSentEvents(QueueStream(subscription, events.LastEventId, cancellationToken));
    }

    // A place among the caller's open streams, freed when the request ends; the 429 when it has none left.
    private static TooManyStreamsProblem? OpenStream(HttpContext httpContext)
    {
        var streams = httpContext.RequestServices.GetRequiredService<EventStreamLimits>();
        return streams.TryOpen(httpContext) ? null : ApiProblems.TooManyStreams(httpContext, streams);
    }

    private static async IAsyncEnumerable<SseItem<string>> TaskStream(
        TaskEventSubscription subscription, TaskRecord task, bool fresh, long lastEventId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using (subscription)
        {
            yield return Ready(lastEventId);
            var known = 0L;
            if (fresh || subscription.ResumeMissed)
            {
                if (subscription.ResumeMissed)
                {
                    yield return Reset();
                }

                yield return Snapshot(task);
                if (task.Status.IsFinal())
                {
                    yield break;
                }

                known = task.Version;
            }

            // A resume of a task that had finished when the stream opened: the events after the id are replayed, and
            // should the final one not be among them (the client saw it: an EventSource reconnects with the final id),
            // the task's final state goes as a snapshot and the stream ends, instead of waiting for an event that came.
            var replayLeft = task.Status.IsFinal() ? subscription.Replayed : -1;
            if (replayLeft == 0)
            {
                yield return Snapshot(task);
                yield break;
            }

            await foreach (var taskEvent in subscription.ReadAllAsync(cancellationToken))
            {
                // Changes the snapshot already showed.
                if (taskEvent.Version > known)
                {
                    yield return Item(taskEvent);
                    if (taskEvent.IsFinal)
                    {
                        yield break;
                    }
                }

                if (replayLeft > 0 && --replayLeft == 0)
                {
                    yield return Snapshot(task);
                    yield break;
                }
            }
        }
    }

    private static async IAsyncEnumerable<SseItem<string>> QueueStream(TaskEventSubscription subscription, long lastEventId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using (subscription)
        {
            yield return Ready(lastEventId);
            if (subscription.ResumeMissed)
            {
                yield return Reset();
            }

            await foreach (var taskEvent in subscription.ReadAllAsync(cancellationToken))
            {
                yield return Item(taskEvent);
            }
        }
    }

    // A task's whole state now, as the first message of a fresh stream or the last of one resumed after its end (no id).
    private static SseItem<string> Snapshot(TaskRecord task) => new(TaskEventJson.ToJson(TaskEvent.SnapshotOf(task)), TaskEventName);

    private static SseItem<string> Item(TaskEvent taskEvent) =>
        new(TaskEventJson.ToJson(taskEvent), TaskEventName) { EventId = taskEvent.Id.ToString(CultureInfo.InvariantCulture) };

    private static SseItem<string> Ready(long lastEventId) =>
        new(JsonSerializer.Serialize(new { lastEventId = lastEventId.ToString(CultureInfo.InvariantCulture) }), ReadyEventName);

    private static SseItem<string> Reset() => new(
        JsonSerializer.Serialize(new { reason = "The Last-Event-ID is not in this node's resume window (too old, or from before it restarted): events may be missing before the next one." }),
        ResetEventName);

    private static bool TryParseEventId(string? text, out long? id)
    {
        id = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            id = parsed;
            return true;
        }

        return false;
    }

    private static OeeValidationException InvalidEventId() =>
        OeeValidationException.For(LastEventIdHeader, "Last-Event-ID must be the decimal id of an event read from this service.");
}
