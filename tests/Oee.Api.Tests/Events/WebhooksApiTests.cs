using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Oee.Tests.Shared;

namespace Oee.Api.Tests.Events;

/// <summary>Webhooks end to end: a receiver on 127.0.0.1 verifies the signature; refused hosts; deliveries on the task.</summary>
public sealed class WebhooksApiTests(WebhookApiFixture fixture) : IClassFixture<WebhookApiFixture>
{
    private HttpClient Http => fixture.Http;

    private WebhookReceiver Receiver => fixture.Receiver;

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    /// <summary>What a receiver does (Standard Webhooks): HMAC-SHA256 of id.timestamp.body with the secret's key, base64, after "v1,".</summary>
    private static bool Verifies(WebhookReceiver.Received request)
    {
        var signed = Encoding.UTF8.GetBytes($"{request.Id}.{request.Timestamp}.").Concat(request.Body).ToArray();
        var expected = Convert.ToBase64String(HMACSHA256.HashData(WebhookApiFixture.SecretKey, signed));
        return request.Signature!.Split(' ').Any(s => s == "v1," + expected);
    }

    [Fact]
    public async Task A_final_state_is_posted_signed_retried_after_a_500_and_recorded_on_the_task()
    {
        var path = Unique("final");
        var created = await (await Http.PostJson("/api/tasks", $$"""{"name":"cb","handler":"echo","input":7,"callbackUrl":"{{Receiver.Url(path)}}"}""")).Json();
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal(Receiver.Url(path), created.GetProperty("callbackUrl").GetString());
        Assert.Equal("final", created.GetProperty("callbackEvents").GetString());

        var task = await Http.WaitForTask(id, t => t.GetProperty("webhookDeliveries").GetArrayLength() == 1);

        var received = Receiver.Requests.Where(r => r.Path == "/" + path).ToList();
        Assert.Equal(2, received.Count);
        Assert.Equal([500, 204], received.Select(r => r.AnsweredStatus));
        Assert.All(received, r => Assert.True(Verifies(r), "the signature does not verify"));
        Assert.Equal(received[0].Id, received[1].Id);
        Assert.Equal("application/json", received[1].ContentType?.Split(';')[0]);
        var timestamp = long.Parse(received[1].Timestamp!);
        Assert.InRange(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - timestamp, -300, 300);

        using var body = JsonDocument.Parse(received[1].Body);
        Assert.Equal(id, body.RootElement.GetProperty("taskId").GetString());
        Assert.Equal("done", body.RootElement.GetProperty("status").GetString());
        Assert.Equal("succeeded", body.RootElement.GetProperty("reason").GetString());

        // A body changed in transit no longer verifies.
        Assert.False(Verifies(received[1] with { Body = Encoding.UTF8.GetBytes("{}") }));

        var delivery = task.GetProperty("webhookDeliveries")[0];
        Assert.Equal(2, delivery.GetProperty("attempts").GetInt32());
        Assert.Equal(204, delivery.GetProperty("statusCode").GetInt32());
        Assert.True(delivery.GetProperty("succeeded").GetBoolean());
        Assert.Equal(received[1].Id, delivery.GetProperty("webhookId").GetString());
        Assert.Equal("done", delivery.GetProperty("status").GetString());
    }

    [Fact]
    public async Task With_all_events_every_change_is_posted_in_order()
    {
        var path = Unique("all");
        var id = (await (await Http.PostJson("/api/tasks", $$"""{"name":"cb","handler":"echo","callbackUrl":"{{Receiver.Url(path)}}","callbackEvents":"all"}""")).Json()).GetProperty("id").GetString()!;

        var task = await Http.WaitForTask(id, t => t.GetProperty("webhookDeliveries").GetArrayLength() == 3);

        Assert.All(task.GetProperty("webhookDeliveries").EnumerateArray(), d => Assert.True(d.GetProperty("succeeded").GetBoolean()));
        var versions = Receiver.Requests.Where(r => r.Path == "/" + path && r.AnsweredStatus == 204)
            .Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("version").GetInt64()).Order();
        Assert.Equal([1L, 2, 3], versions);
    }

    [Theory]
    [InlineData("http://localhost:9/hook", "not among")]
    [InlineData("http://169.254.169.254/latest/meta-data", "not among")]
    [InlineData("file:///etc/passwd", "http or https")]
    public async Task A_callback_to_a_host_not_allowed_is_a_400_naming_callbackUrl(string url, string reason)
    {
        var response = await Http.PostJson("/api/tasks", JsonSerializer.Serialize(new { name = "cb", handler = "echo", callbackUrl = url }));
        var problem = await response.AssertProblem(HttpStatusCode.BadRequest);
        Assert.Contains(reason, problem.GetProperty("errors").GetProperty("callbackUrl")[0].GetString());
        Assert.DoesNotContain(WebhookApiFixture.Secret, await response.Content.ReadAsStringAsync());
    }
}
