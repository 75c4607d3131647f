using Oee.Grains.Contracts;
using Orleans.CodeGeneration;

namespace Oee.Grains.Events;

/// <summary>
/// What a task's webhook deliveries tell the task (the same grain as <see cref="ITaskGrain"/>).
/// Not part of the public contract.
/// </summary>
[Version(1)]
[Alias("oee.event-task")]
internal interface ITaskEventsGrain : IGrainWithStringKey
{
    /// <summary>Records how a webhook delivery went (kept on the task, newest last); no event, no version change.</summary>
    [Alias("record-webhook-delivery")]
    Task RecordWebhookDelivery(WebhookDelivery delivery);
}
