using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Oee.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class QueueQuotasApiTests(ApiFixture fixture)
{
    private HttpClient Http => fixture.Http;

    [Fact]
    public async Task A_full_queue_answers_429_with_retry_after_and_stores_nothing()
    {
        var queue = $"full-{Guid.NewGuid():N}";
        await Http.PutJson($"/api/queues/{queue}", """{"paused":true,"maxPending":2}""");
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await Http.PostJson("/api/tasks", Task(queue, $"ok-{i}"))).StatusCode);
        }

        var refusedId = $"refused-{Guid.NewGuid():N}";
        var response = await Http.PostJson("/api/tasks", Task(queue, refusedId));
        var problem = await response.AssertProblem(HttpStatusCode.TooManyRequests);
        Assert.Equal("1", Assert.Single(response.Headers.GetValues("Retry-After")));
        Assert.Equal(queue, problem.GetProperty("queue").GetString());
        Assert.Equal(1, problem.GetProperty("retryAfterSeconds").GetInt32());
        Assert.Contains("maxPending", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(problem.TryGetProperty("traceId", out _));
        await (await Http.GetAsync($"/api/tasks/{refusedId}")).AssertProblem(HttpStatusCode.NotFound);

        // A batch reports each refused task, with its own retry delay, and takes the others.
        var other = $"other-{Guid.NewGuid():N}";
        var batch = await (await Http.PostJson("/api/tasks/batch", $$"""{"tasks":[{{Task(queue, "b0")}},{{Task(other, "b1")}},{{Task(queue, "b2")}}]}""")).Json();
        Assert.Equal((1, 2), (batch.GetProperty("created").GetInt32(), batch.GetProperty("queueFull").GetInt32()));
        var results = batch.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["queueFull", "created", "queueFull"], results.Select(r => r.GetProperty("status").GetString()));
        Assert.All(results.Where(r => r.GetProperty("status").GetString() == "queueFull"), r =>
        {
            Assert.Equal(1, r.GetProperty("retryAfterSeconds").GetInt32());
            Assert.Contains("is full", r.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Equal(JsonValueKind.Null, r.GetProperty("task").ValueKind);
        });
        Assert.Equal(2, (await Http.GetFromJsonAsync<JsonElement>($"/api/tasks?queue={queue}")).GetProperty("items").GetArrayLength());

        // Resumed, the queue drains and takes the refused task.
        await Http.PutJson($"/api/queues/{queue}", """{"paused":false}""");
        await WaitFor(async () => (await Http.GetFromJsonAsync<JsonElement>($"/api/queues/{queue}")).GetProperty("pending").GetInt32() == 0);
        Assert.Equal(HttpStatusCode.Created, (await Http.PostJson("/api/tasks", Task(queue, refusedId))).StatusCode);
    }

    [Fact]
    public async Task Retry_after_follows_the_start_rate()
    {
        var queue = $"rate-{Guid.NewGuid():N}";
        await Http.PutJson($"/api/queues/{queue}", """{"maxPending":1,"startRate":0.2,"startBurst":1}""");
        Assert.Equal(HttpStatusCode.Created, (await Http.PostJson("/api/tasks", Task(queue, "first"))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Http.PostJson("/api/tasks", Task(queue, "waits-for-a-token"))).StatusCode);

        // The next token comes 5 s after the first start: Retry-After is what is left of it, rounded up.
        var response = await Http.PostJson("/api/tasks", Task(queue, "refused"));
        await response.AssertProblem(HttpStatusCode.TooManyRequests);
        Assert.InRange(int.Parse(Assert.Single(response.Headers.GetValues("Retry-After"))), 2, 5);
    }

    [Fact]
    public async Task Quota_settings_round_trip_and_bad_ones_are_400s_naming_the_field()
    {
        var queue = $"quotas-{Guid.NewGuid():N}";
        var status = await (await Http.PutJson($"/api/queues/{queue}", """{"maxPending":100,"startRate":2.5,"maxPerKey":2,"agingInterval":"PT5M"}""")).Json();
        Assert.Equal(100, status.GetProperty("maxPending").GetInt32());
        Assert.Equal(2.5, status.GetProperty("startRate").GetDouble());
        Assert.Equal(3, status.GetProperty("startBurst").GetInt32());
        Assert.Equal(2, status.GetProperty("maxPerKey").GetInt32());
        Assert.Equal("00:05:00", status.GetProperty("agingInterval").GetString());
        Assert.Equal(0, status.GetProperty("heldByKeyLimit").GetInt32());
        Assert.Equal(JsonValueKind.Object, status.GetProperty("runningByKey").ValueKind);

        foreach (var (body, field) in new[]
        {
            ("""{"maxPending":-1}""", "maxPending"),
            ("""{"maxPending":"lots"}""", "maxPending"),
            ("""{"startRate":-0.5}""", "startRate"),
            ("""{"startRate":2000000}""", "startRate"),
            ("""{"startBurst":-1}""", "startBurst"),
            ("""{"maxPerKey":-1}""", "maxPerKey"),
            ("""{"maxPerKey":1.5}""", "maxPerKey"),
            ("""{"agingInterval":"soon"}""", "agingInterval"),
            ("""{"agingInterval":"PT0.01S"}""", "agingInterval"),
            ("""{"agingInterval":"-00:01:00"}""", "agingInterval"),
        })
        {
            await (await Http.PutJson($"/api/queues/{queue}", body)).AssertInvalidField(field);
        }

        // Nothing of the refused changes was applied.
        var after = await Http.GetFromJsonAsync<JsonElement>($"/api/queues/{queue}");
        Assert.Equal((100, 2), (after.GetProperty("maxPending").GetInt32(), after.GetProperty("maxPerKey").GetInt32()));
    }

    [Fact]
    public async Task A_concurrency_key_is_kept_shown_and_checked()
    {
        var queue = $"keys-{Guid.NewGuid():N}";
        var created = await (await Http.PostJson("/api/tasks", $$"""{"name":"k","handler":"echo","queue":"{{queue}}","concurrencyKey":"tenant-1"}""")).Json();
        Assert.Equal("tenant-1", created.GetProperty("concurrencyKey").GetString());
        var listed = await Http.GetFromJsonAsync<JsonElement>($"/api/tasks?queue={queue}");
        Assert.Equal("tenant-1", listed.GetProperty("items")[0].GetProperty("concurrencyKey").GetString());

        await (await Http.PostJson("/api/tasks", """{"name":"k","handler":"echo","concurrencyKey":"two words"}""")).AssertInvalidField("concurrencyKey");
        await (await Http.PostJson("/api/tasks", $$"""{"name":"k","handler":"echo","concurrencyKey":"{{new string('k', 65)}}"}""")).AssertInvalidField("concurrencyKey");
        await (await Http.PostJson("/api/tasks", """{"name":"k","handler":"echo","concurrencyKey":7}""")).AssertInvalidField("concurrencyKey");
    }

    private static string Task(string queue, string id) => $$"""{"id":"{{id}}","name":"n","handler":"echo","queue":"{{queue}}"}""";

    private static async Task WaitFor(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await System.Threading.Tasks.Task.Delay(20);
        }
    }
}
