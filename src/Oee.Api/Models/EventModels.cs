using System.ComponentModel;
using System.Text.Json.Serialization;
using Oee.Grains.Contracts;

namespace Oee.Api.Models;

/// <summary>Which of a task's events its callback URL receives.</summary>
[JsonConverter(typeof(WireEnumConverter<CallbackEventsMode>))]
public enum CallbackEventsMode
{
    /// <summary>Only the event that makes the task final (done, error, cancelled).</summary>
    [JsonStringEnumMemberName("final")]
    Final,

    /// <summary>Every event of the task: status changes, other changes and progress.</summary>
    [JsonStringEnumMemberName("all")]
    All,
}

/// <summary>The latest progress a task's body reported.</summary>
/// <param name="Percent">0–100.</param>
/// <param name="Message">The body's message, if any.</param>
/// <param name="At">When it was recorded.</param>
public sealed record TaskProgressResponse(int Percent, string? Message, DateTimeOffset At);

/// <summary>One webhook delivery of a task's event, after all its tries.</summary>
/// <param name="WebhookId">The <c>webhook-id</c> header sent (the same on every try): the task id and the event's version.</param>
/// <param name="EventVersion">The version of the task the event carried.</param>
/// <param name="Status">The task status the event carried (queued, running, done, error, cancelled, waiting or scheduled).</param>
/// <param name="Attempts">How many POSTs were made.</param>
/// <param name="StatusCode">The last response's HTTP status; null when none came (refused target, network error).</param>
/// <param name="Succeeded">True when the receiver answered 2xx.</param>
/// <param name="Error">Why it failed, when it did.</param>
/// <param name="StartedAt">When the first try was made.</param>
/// <param name="CompletedAt">When the last try ended.</param>
public sealed record WebhookDeliveryResponse(
    string WebhookId,
    long EventVersion,
    string Status,
    int Attempts,
    int? StatusCode,
    bool Succeeded,
    string? Error,
    DateTimeOffset StartedAt,
    DateTimeOffset CompletedAt);

/// <summary>A submit's webhook fields.</summary>
public sealed partial record SubmitTaskBody
{
    /// <summary>
    /// An http(s) URL that receives the task's events as signed POSTs (README "Webhooks"). Its host must
    /// be among the service's Oee:Webhooks:AllowedHosts (none by default: then any callbackUrl is a 400).
    /// </summary>
    public string? CallbackUrl { get; init; }

    /// <summary>Which events callbackUrl receives: final (default) or all.</summary>
    [DefaultValue(CallbackEventsMode.Final)]
    public CallbackEventsMode? CallbackEvents { get; init; }
}

/// <summary>A task's progress and webhook fields.</summary>
public partial record TaskResponse
{
    /// <summary>The latest progress its body reported in the current attempt; null before any.</summary>
    public TaskProgressResponse? Progress { get; init; }

    /// <summary>The URL that receives its events; null for none.</summary>
    public string? CallbackUrl { get; init; }

    /// <summary>Which events callbackUrl receives (final for a task without one).</summary>
    public CallbackEventsMode CallbackEvents { get; init; }

    /// <summary>Its webhook deliveries so far, oldest first (the last 20).</summary>
    public IReadOnlyList<WebhookDeliveryResponse> WebhookDeliveries { get; init; } = [];
}

/// <summary>Maps the progress and webhook fields.</summary>
internal static class EventModelMapping
{
    public static TaskResponse WithEventFields(this TaskResponse response, TaskRecord task) => response with
    {
        Progress = task.Progress is { } p ? new TaskProgressResponse(p.Percent, p.Message, p.At) : null,
        CallbackUrl = task.CallbackUrl,
        CallbackEvents = task.CallbackEvents == WebhookEvents.All ? CallbackEventsMode.All : CallbackEventsMode.Final,
        WebhookDeliveries = [.. task.WebhookDeliveries.Select(d => new WebhookDeliveryResponse(
            d.WebhookId, d.EventVersion, d.Status.ToWireName(), d.Attempts, d.StatusCode, d.Succeeded, d.Error, d.StartedAt, d.CompletedAt))],
    };

    public static WebhookEvents? ToContract(this CallbackEventsMode? mode) => mode switch
    {
        CallbackEventsMode.All => WebhookEvents.All,
        CallbackEventsMode.Final => WebhookEvents.Final,
        _ => null,
    };
}
