using Microsoft.Extensions.Options;
using Oee.Grains.Configuration;
using Oee.Grains.Contracts;
using Oee.Grains.Tasks;
using Oee.Grains.WarmUp;
using Oee.Grains.Webhooks;
using Orleans.Runtime;

namespace Oee.Grains.Events;

/// <summary>
/// What a task grain calls after each persisted change: makes the event, writes it to this silo's
/// ring (when events are on) and offers it to the task's webhook. Never waits, never calls a grain.
/// </summary>
internal sealed class TaskEventPublisher(
    SiloEventRing ring,
    WebhookDispatcher webhooks,
    ILocalSiloDetails silo,
    IOptions<OeeEventOptions> options)
{
    private readonly bool enabled = options.Value.Enabled;
    private string? siloName;

    /// <summary>The shortest time between two recorded progress reports of one attempt.</summary>
    public TimeSpan ProgressInterval { get; } = options.Value.ProgressInterval;

    private string SiloName => siloName ??= silo.SiloAddress.ToParsableString();

    /// <summary>A task was accepted (its first event).</summary>
    public void Submitted(TaskRecord task) => Publish(task, TaskEventFactory.Submitted(task, SiloName));

    /// <summary>A command changed the task from <paramref name="before"/> to <paramref name="after"/>.</summary>
    public void Changed(TaskRecord before, TaskRecord after, TaskCommand command, DateTimeOffset at) =>
        Publish(after, TaskEventFactory.Changed(before, after, command, at, SiloName));

    private void Publish(TaskRecord task, in TaskEventValue taskEvent)
    {
        if (enabled && !WarmUpTasks.IsQueue(task.Queue))
        {
            ring.Publish(in taskEvent);
        }

        if (task.CallbackUrl is not null)
        {
            webhooks.Offer(task, in taskEvent);
        }
    }
}
