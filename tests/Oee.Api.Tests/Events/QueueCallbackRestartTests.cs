using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Oee.Tests.Shared;

namespace Oee.Api.Tests.Events;

/// <summary>
/// Durable mode: a queue's callback is kept in PostgreSQL, so an API host started again on the same
/// database still delivers (signed) to it for a task that names none.
/// </summary>
public sealed class QueueCallbackRestartTests
{
    [Fact]
    public async Task A_queues_callback_survives_a_restart_of_the_service()
    {
        await using var database = new TestDatabase();
        await database.CreateAsync();
        using var receiver = new WebhookReceiver(failFirst: 0);
        var queue = $"q-callback-restart-{Guid.NewGuid():N}";
        var url = receiver.Url(queue);

        await using (var first = new WebhookPostgresHost(database.ConnectionString))
        {
            var http = first.Start();
            var configured = await (await http.PutJson($"/api/queues/{queue}", $$"""{"callbackUrl":"{{url}}","callbackEvents":"all"}""")).Json();
            Assert.Equal(url, configured.GetProperty("callbackUrl").GetString());
        }

        await using var second = new WebhookPostgresHost(database.ConnectionString);
        var again = second.Start();
        var restored = await again.GetJson($"/api/queues/{queue}");
        Assert.Equal(url, restored.GetProperty("callbackUrl").GetString());
        Assert.Equal("all", restored.GetProperty("callbackEvents").GetString());

        var id = (await (await again.PostJson("/api/tasks", $$"""{"name":"after-restart","handler":"echo","queue":"{{queue}}","input":3}""")).Json()).GetProperty("id").GetString()!;
        var task = await again.WaitForTask(id, t => t.GetProperty("webhookDeliveries").GetArrayLength() == 3);
        Assert.All(task.GetProperty("webhookDeliveries").EnumerateArray(), d => Assert.True(d.GetProperty("succeeded").GetBoolean(), d.ToString()));
        var received = receiver.Requests.Where(r => r.Path == "/" + queue).ToList();
        Assert.Equal(3, received.Count);
        Assert.All(received, r => Assert.True(WebhookReceiver.Verifies(r, WebhookApiFixture.SecretKey), "the signature does not verify"));
    }

    /// <summary>The API on Kestrel in durable mode on a given database, webhooks allowed to 127.0.0.1.</summary>
    private sealed class WebhookPostgresHost(string connectionString) : WebApplicationFactory<Program>
    {
        public HttpClient Start()
        {
            UseKestrel(0);
            StartServer();
            return CreateClient();
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseOwnLoopbackSilo("queue-callback-restart");
            builder.UseSetting("Oee:PostgreSql:ConnectionString", connectionString);
            builder.UseSetting("Oee:Webhooks:AllowedHosts:0", "127.0.0.1");
            builder.UseSetting("Oee:Webhooks:AllowPrivateAddresses", "true");
            builder.UseSetting("Oee:Webhooks:Secret", WebhookApiFixture.Secret);
        }
    }
}
