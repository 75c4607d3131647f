using Oee.Grains.Client;
using Oee.Grains.Contracts;
using Oee.Tests.Shared;
using Orleans.Runtime;

namespace Oee.Grains.Tests.Cluster;

/// <summary>
/// A queue's callback URL through <see cref="IOrchestrator"/>: tasks without their own get it and a
/// receiver on 127.0.0.1 verifies every delivery; a task's own URL wins; bad URLs and hosts the silos
/// do not allow are refused naming the field (also when only the silo can tell); the setting survives
/// the queue's reactivation.
/// </summary>
public abstract class QueueCallbackTests(ClusterFixture fixture) : IDisposable
{
    private readonly WebhookReceiver receiver = new(failFirst: 0);

    private IOrchestrator Orchestrator => fixture.Orchestrator;

    public void Dispose()
    {
        receiver.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task A_task_without_a_callback_gets_its_queues_and_every_delivery_is_signed()
    {
        var queue = Waiting.Unique("queue-callback");
        var url = receiver.Url(queue);
        var status = await Orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { CallbackUrl = url, CallbackEvents = WebhookEvents.All });
        Assert.Equal((url, WebhookEvents.All), (status.CallbackUrl, status.CallbackEvents));

        var submitted = (await Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "no-own", Handler = RecordingHandler.Name, Queue = queue, Input = RecordingHandler.Instant })).Task;
        Assert.Equal((url, WebhookEvents.All), (submitted.CallbackUrl, submitted.CallbackEvents));

        // Every event of its life (submitted, started, done) is delivered, signed, and recorded on the task.
        var task = await Orchestrator.ForTask(submitted.Id, t => t.Status == OeeTaskStatus.Done && t.WebhookDeliveries.Length == 3);
        Assert.All(task.WebhookDeliveries, d => Assert.True(d.Succeeded, d.Error));
        var received = receiver.Requests.Where(r => r.Path == "/" + queue).ToList();
        Assert.Equal(3, received.Count);
        Assert.All(received, r => Assert.True(WebhookReceiver.Verifies(r, ClusterFixture.WebhookKey), "the signature does not verify"));
        Assert.All(received, r => Assert.StartsWith(submitted.Id + ".", r.Id, StringComparison.Ordinal));
        Assert.Equal(task.WebhookDeliveries.Select(d => d.WebhookId).Order(), received.Select(r => r.Id).Order());
    }

    [Fact]
    public async Task A_tasks_own_callback_wins_over_its_queues()
    {
        var queue = Waiting.Unique("queue-callback-own");
        var queueUrl = receiver.Url(queue);
        var ownUrl = receiver.Url(queue + "-own");
        await Orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { CallbackUrl = queueUrl, CallbackEvents = WebhookEvents.All });

        var own = (await Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "own", Handler = RecordingHandler.Name, Queue = queue, Input = RecordingHandler.Instant, CallbackUrl = ownUrl })).Task;
        var finalOnly = (await Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "final", Handler = RecordingHandler.Name, Queue = queue, Input = RecordingHandler.Instant, CallbackEvents = WebhookEvents.Final })).Task;

        // The own URL with the task's own default (final only); the queue's URL with the events the task named.
        Assert.Equal((ownUrl, WebhookEvents.Final), (own.CallbackUrl, own.CallbackEvents));
        Assert.Equal((queueUrl, WebhookEvents.Final), (finalOnly.CallbackUrl, finalOnly.CallbackEvents));
        await Orchestrator.ForTask(own.Id, t => t.WebhookDeliveries.Length == 1 && t.WebhookDeliveries[0].Succeeded);
        await Orchestrator.ForTask(finalOnly.Id, t => t.WebhookDeliveries.Length == 1 && t.WebhookDeliveries[0].Succeeded);

        Assert.Equal([own.Id], receiver.Requests.Where(r => r.Path == "/" + queue + "-own").Select(r => r.Id.Split('.')[0]));
        Assert.Equal([finalOnly.Id], receiver.Requests.Where(r => r.Path == "/" + queue).Select(r => r.Id.Split('.')[0]));
    }

    [Theory]
    [InlineData("ftp://127.0.0.1/hook", "http or https")]
    [InlineData("http://user:pw@127.0.0.1/hook", "http or https")]
    [InlineData("http://hooks.example.com/hook", "not among")]
    [InlineData("http://169.254.169.254/latest/meta-data", "not among")]
    public async Task A_bad_or_not_allowed_callback_is_refused_naming_the_field_and_nothing_changes(string url, string reason)
    {
        var queue = Waiting.Unique("queue-callback-bad");
        var good = receiver.Url(queue);
        await Orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { CallbackUrl = good });

        var refused = await Assert.ThrowsAsync<OeeValidationException>(() => Orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { CallbackUrl = url, MaxConcurrency = 7 }));
        var error = Assert.Single(refused.Errors);
        Assert.Equal("callbackUrl", error.Field);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);

        // The grain itself refuses too (a caller that skips the client's checks), with the field errors across the call.
        var direct = await Assert.ThrowsAsync<OeeValidationException>(() => fixture.Cluster.Client.GetGrain<IQueueGrain>(queue).Configure(new QueueSettingsUpdate { CallbackUrl = url }));
        Assert.Equal("callbackUrl", Assert.Single(direct.Errors).Field);
        Assert.Contains(reason, direct.Message, StringComparison.Ordinal);

        var status = await Orchestrator.GetQueueAsync(queue);
        Assert.Equal(good, status.CallbackUrl);
        Assert.NotEqual(7, status.MaxConcurrency);
    }

    [Fact]
    public async Task The_callback_survives_the_queues_reactivation_and_an_empty_url_removes_it()
    {
        var queue = Waiting.Unique("queue-callback-kept");
        var url = receiver.Url(queue);
        await Orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { CallbackUrl = url, CallbackEvents = WebhookEvents.All });

        await fixture.Cluster.DeactivateAsync((IAddressable)fixture.Cluster.Client.GetGrain<IQueueGrain>(queue));
        var restored = await Orchestrator.GetQueueAsync(queue);
        Assert.Equal((url, WebhookEvents.All), (restored.CallbackUrl, restored.CallbackEvents));
        var task = (await Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "after", Handler = RecordingHandler.Name, Queue = queue, Input = RecordingHandler.Instant })).Task;
        Assert.Equal(url, task.CallbackUrl);

        var removed = await Orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { CallbackUrl = "" });
        Assert.Null(removed.CallbackUrl);
        var later = (await Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "none", Handler = RecordingHandler.Name, Queue = queue, Input = RecordingHandler.Instant })).Task;
        Assert.Null(later.CallbackUrl);

        // The task submitted before the removal keeps its callback.
        await Orchestrator.ForTask(task.Id, t => t.Status == OeeTaskStatus.Done && t.WebhookDeliveries.Length == 3);
    }
}

[Collection(MemoryClusterCollection.Name)]
public sealed class QueueCallbackTestsOnMemory(MemoryClusterFixture fixture) : QueueCallbackTests(fixture);

[Collection(PostgresClusterCollection.Name)]
public sealed class QueueCallbackTestsOnPostgres(PostgresClusterFixture fixture) : QueueCallbackTests(fixture);
