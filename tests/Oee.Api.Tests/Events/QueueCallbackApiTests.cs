using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Oee.Grains.Client;
using Oee.Grains.Contracts;
using Oee.Tests.Shared;

namespace Oee.Api.Tests.Events;

/// <summary>
/// A queue's callbackUrl over REST (memory mode): tasks without their own get it, signed deliveries
/// reach a receiver on 127.0.0.1, a task's own URL wins, bad URLs and hosts not allowed are a 400
/// naming the field (and <see cref="OeeValidationException"/> through the host's <see cref="IOrchestrator"/>).
/// </summary>
public sealed class QueueCallbackApiTests(WebhookApiFixture fixture) : IClassFixture<WebhookApiFixture>
{
    private HttpClient Http => fixture.Http;

    private WebhookReceiver Receiver => fixture.Receiver;

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    [Fact]
    public async Task A_task_without_a_callback_is_delivered_to_its_queues_and_its_own_wins()
    {
        var queue = Unique("q-callback");
        var queueUrl = Receiver.Url(queue);
        var configured = await (await Http.PutJson($"/api/queues/{queue}", $$"""{"callbackUrl":"{{queueUrl}}","callbackEvents":"final"}""")).Json();
        Assert.Equal(queueUrl, configured.GetProperty("callbackUrl").GetString());
        Assert.Equal("final", configured.GetProperty("callbackEvents").GetString());

        var inherited = await (await Http.PostJson("/api/tasks", $$"""{"name":"q","handler":"echo","queue":"{{queue}}","input":1}""")).Json();
        var ownUrl = Receiver.Url(queue + "-own");
        var own = await (await Http.PostJson("/api/tasks", $$"""{"name":"o","handler":"echo","queue":"{{queue}}","input":2,"callbackUrl":"{{ownUrl}}"}""")).Json();
        Assert.Equal(queueUrl, inherited.GetProperty("callbackUrl").GetString());
        Assert.Equal(ownUrl, own.GetProperty("callbackUrl").GetString());

        var id = inherited.GetProperty("id").GetString()!;
        var task = await Http.WaitForTask(id, t => t.GetProperty("webhookDeliveries").GetArrayLength() == 1);
        Assert.True(task.GetProperty("webhookDeliveries")[0].GetProperty("succeeded").GetBoolean(), task.ToString());
        await Http.WaitForTask(own.GetProperty("id").GetString()!, t => t.GetProperty("webhookDeliveries").GetArrayLength() == 1);

        // Signed deliveries of the final event; the queue's URL never hears of the task with its own.
        var atQueue = Receiver.Requests.Where(r => r.Path == "/" + queue && r.AnsweredStatus == 204).ToList();
        var delivered = Assert.Single(atQueue);
        Assert.True(WebhookReceiver.Verifies(delivered, WebhookApiFixture.SecretKey), "the signature does not verify");
        using var body = JsonDocument.Parse(delivered.Body);
        Assert.Equal(id, body.RootElement.GetProperty("taskId").GetString());
        Assert.Equal("done", body.RootElement.GetProperty("status").GetString());
        Assert.Single(Receiver.Requests, r => r.Path == "/" + queue + "-own" && r.AnsweredStatus == 204);
    }

    [Theory]
    [InlineData("ftp://127.0.0.1/hook", "http or https")]
    [InlineData("http://localhost:9/hook", "not among")]
    [InlineData("http://169.254.169.254/latest/meta-data", "not among")]
    public async Task A_bad_or_not_allowed_callback_is_a_400_naming_callbackUrl_and_nothing_changes(string url, string reason)
    {
        var queue = Unique("q-callback-bad");
        var good = Receiver.Url(queue);
        (await Http.PutJson($"/api/queues/{queue}", $$"""{"callbackUrl":"{{good}}"}""")).EnsureSuccessStatusCode();

        var response = await Http.PutJson($"/api/queues/{queue}", JsonSerializer.Serialize(new { callbackUrl = url, maxConcurrency = 7 }));
        var problem = await response.AssertProblem(HttpStatusCode.BadRequest);
        Assert.Contains(reason, problem.GetProperty("errors").GetProperty("callbackUrl")[0].GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(WebhookApiFixture.Secret, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var queueNow = await Http.GetFromJsonAsync<JsonElement>($"/api/queues/{queue}");
        Assert.Equal(good, queueNow.GetProperty("callbackUrl").GetString());
        Assert.NotEqual(7, queueNow.GetProperty("maxConcurrency").GetInt32());

        // The same refusal through the host's IOrchestrator.
        var orchestrator = fixture.Services.GetRequiredService<IOrchestrator>();
        var refused = await Assert.ThrowsAsync<OeeValidationException>(() => orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { CallbackUrl = url }));
        Assert.Equal("callbackUrl", Assert.Single(refused.Errors).Field);
    }

    [Fact]
    public async Task Unknown_callback_events_are_a_400_naming_callbackEvents()
    {
        var response = await Http.PutJson($"/api/queues/{Unique("q-callback-events")}", """{"callbackEvents":"sometimes"}""");
        await response.AssertInvalidField("callbackEvents");
    }
}
