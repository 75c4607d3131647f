using System.ComponentModel.DataAnnotations;
using Oee.Grains.Contracts;

namespace Oee.Api.Models;

// A queue's callback: the webhook of its tasks submitted without their own callbackUrl (the type's doc is in QueueModels.cs).
public sealed partial record QueueResponse
{
    /// <summary>The callbackUrl of tasks submitted to this queue without their own; null when none.</summary>
    public string? CallbackUrl { get; init; }

    /// <summary>Which events callbackUrl receives.</summary>
    public CallbackEventsMode CallbackEvents { get; init; }

    /// <summary>The response with the queue's callback fields.</summary>
    internal QueueResponse WithCallback(QueueStatus queue) => this with
    {
        CallbackUrl = queue.CallbackUrl,
        CallbackEvents = queue.CallbackEvents == WebhookEvents.All ? CallbackEventsMode.All : CallbackEventsMode.Final,
    };
}

// A queue's callback settings (the type's doc is in QueueModels.cs).
public sealed partial record UpdateQueueBody
{
    /// <summary>
    /// The callback URL of tasks submitted to this queue later without their own (a task's own callbackUrl
    /// wins): http or https, its host among the service's Oee:Webhooks:AllowedHosts; "" removes it. Tasks
    /// keep the callback they were submitted with.
    /// </summary>
    [MaxLength(WebhookLimits.MaxUrlLength)]
    public string? CallbackUrl { get; init; }

    /// <summary>Which events the queue's callbackUrl receives: final (until set) or all. A task that names its own callbackEvents keeps them.</summary>
    public CallbackEventsMode? CallbackEvents { get; init; }
}
