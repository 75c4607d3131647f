using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Oee.Grains.Cluster;
using Oee.Grains.Configuration;
using Oee.Grains.Contracts;
using Oee.Grains.Events;

namespace Oee.Grains.Webhooks;

/// <summary>
/// This silo's webhook deliveries: task grains offer events (never waiting), a few background loops
/// send them (<see cref="WebhookSender"/>) and record each delivery on its task
/// (<see cref="ITaskEventsGrain.RecordWebhookDelivery"/>). Deliveries live in memory: those not yet
/// sent when the silo stops are lost (logged counts). A full queue drops new deliveries (logged).
/// </summary>
internal sealed partial class WebhookDispatcher : IAsyncDisposable
{
    private readonly Channel<(string Url, TaskEvent Event)> pending;
    private readonly IServiceProvider services;
    private readonly IGrainFactory grains;
    private readonly ILogger<WebhookDispatcher> logger;
    private readonly OeeWebhookOptions settings;
    private readonly CancellationTokenSource stopping = new();
    private readonly Lazy<Task[]> loops;

    public WebhookDispatcher(IServiceProvider services, IGrainFactory grains, IOptions<OeeWebhookOptions> options, ILogger<WebhookDispatcher> logger)
    {
        this.services = services;
        this.grains = grains;
        this.logger = logger;
        settings = options.Value;
        pending = Channel.CreateBounded<(string, TaskEvent)>(new BoundedChannelOptions(settings.QueueLimit) { FullMode = BoundedChannelFullMode.DropWrite });
        loops = new Lazy<Task[]>(() => [.. Enumerable.Range(0, settings.Parallelism).Select(_ => Task.Run(SendLoop))]);
    }

    /// <summary>Queues the event for the task's webhook when the task asks for it.</summary>
    public void Offer(TaskRecord task, in TaskEventValue taskEvent)
    {
        // The event object is made only for a change the webhook wants (most of a task's are not final).
        if (task.CallbackUrl is not { } url || (task.CallbackEvents == WebhookEvents.Final && !taskEvent.IsFinal))
        {
            return;
        }

        _ = loops.Value;
        if (!pending.Writer.TryWrite((url, taskEvent.ToTaskEvent())))
        {
            LogDropped(logger, task.Id, taskEvent.Version, settings.QueueLimit);
        }
    }

    private async Task SendLoop()
    {
        var sender = (WebhookSender)services.GetService(typeof(WebhookSender))!;
        try
        {
            await foreach (var (url, taskEvent) in pending.Reader.ReadAllAsync(stopping.Token))
            {
                var delivery = await sender.SendAsync(url, taskEvent, stopping.Token);
                if (!delivery.Succeeded)
                {
                    LogFailed(logger, taskEvent.TaskId, delivery.WebhookId, delivery.Attempts, delivery.Error ?? "?");
                }

                await Record(taskEvent.TaskId, delivery);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private async Task Record(string taskId, WebhookDelivery delivery)
    {
        for (var tries = 1; ; tries++)
        {
            try
            {
                await grains.Reference<ITaskEventsGrain>(taskId).RecordWebhookDelivery(delivery);
                return;
            }
            catch (Exception) when (tries < 3 && !stopping.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(tries), stopping.Token);
            }
            catch (Exception ex)
            {
                LogNotRecorded(logger, ex, taskId, delivery.WebhookId);
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        pending.Writer.TryComplete();
        await stopping.CancelAsync();
        if (loops.IsValueCreated)
        {
            await Task.WhenAll(loops.Value).WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(static _ => { }, TaskScheduler.Default);
        }

        stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook of task {TaskId} (version {Version}) dropped: {Limit} deliveries already wait (Oee:Webhooks:QueueLimit)")]
    private static partial void LogDropped(ILogger logger, string taskId, long version, int limit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {WebhookId} of task {TaskId} failed after {Attempts} tries: {Error}")]
    private static partial void LogFailed(ILogger logger, string taskId, string webhookId, int attempts, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {WebhookId} of task {TaskId} could not be recorded on the task")]
    private static partial void LogNotRecorded(ILogger logger, Exception exception, string taskId, string webhookId);
}
