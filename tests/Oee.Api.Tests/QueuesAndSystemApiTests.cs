using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Oee.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class QueuesAndSystemApiTests(ApiFixture fixture)
{
    private HttpClient Http => fixture.Http;

    [Fact]
    public async Task Put_configures_a_queue_that_get_and_list_then_show()
    {
        var queue = $"q-{Guid.NewGuid():N}";
        var put = await Http.PutJson($"/api/queues/{queue}", """{"maxConcurrency":7,"paused":true}""");
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        await Http.PostJson("/api/tasks", $$"""{"name":"w","handler":"echo","queue":"{{queue}}","priority":9}""");
        var status = await Http.GetFromJsonAsync<JsonElement>($"/api/queues/{queue}");
        Assert.Equal(7, status.GetProperty("maxConcurrency").GetInt32());
        Assert.True(status.GetProperty("paused").GetBoolean());
        Assert.Equal(1, status.GetProperty("pending").GetInt32());
        Assert.Equal(1, status.GetProperty("pendingByPriority").GetProperty("9").GetInt32());

        var list = await Http.GetFromJsonAsync<JsonElement>("/api/queues");
        Assert.Contains(list.EnumerateArray(), q => q.GetProperty("name").GetString() == queue);

        var resumed = await (await Http.PutJson($"/api/queues/{queue}", """{"paused":false}""")).Json();
        Assert.False(resumed.GetProperty("paused").GetBoolean());
        Assert.Equal(7, resumed.GetProperty("maxConcurrency").GetInt32());
    }

    [Fact]
    public async Task Unknown_queues_are_404_and_bad_settings_400()
    {
        await (await Http.GetAsync($"/api/queues/never-{Guid.NewGuid():N}")).AssertProblem(HttpStatusCode.NotFound);
        await (await Http.PutJson("/api/queues/q1", """{"maxConcurrency":0}""")).AssertInvalidField("maxConcurrency");
        await (await Http.PutJson("/api/queues/q1", """{"maxConcurrency":"many"}""")).AssertInvalidField("maxConcurrency");
        await (await Http.PutJson("/api/queues/q1", """{"paused":"yes"}""")).AssertInvalidField("paused");
        await (await Http.PutJson("/api/queues/bad%20name", """{"paused":true}""")).AssertInvalidField("name");
    }

    [Fact]
    public async Task System_status_lists_the_embedded_silo_with_slots_and_counts_by_status()
    {
        var system = await Http.GetFromJsonAsync<JsonElement>("/api/system");
        var silo = Assert.Single(system.GetProperty("silos").EnumerateArray());
        Assert.Equal("active", silo.GetProperty("status").GetString());
        Assert.Equal(100, silo.GetProperty("workerSlotsTotal").GetInt32());
        var counts = system.GetProperty("taskCounts");
        foreach (var status in new[] { "queued", "running", "done", "error", "cancelled" })
        {
            Assert.True(counts.TryGetProperty(status, out _), status);
        }
    }

    [Fact]
    public async Task OpenApi_document_and_health_are_served()
    {
        var openApi = await Http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = openApi.GetProperty("paths");
        foreach (var path in new[] { "/api/tasks", "/api/tasks/{id}", "/api/tasks/{id}/cancel", "/api/tasks/finished", "/api/queues", "/api/queues/{name}", "/api/system" })
        {
            Assert.True(paths.TryGetProperty(path, out _), path);
        }

        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task No_odd_body_produces_a_500()
    {
        string[] bodies =
        [
            "", "null", "0", "\"text\"", "{}", "{\"name\":null,\"handler\":null}", "{\"name\":{},\"handler\":[]}",
            "{\"name\":\"x\",\"handler\":\"echo\",\"input\":null}", "{\"name\":\"x\",\"handler\":\"echo\",\"tags\":[null]}",
            "{\"name\":\"x\",\"handler\":\"echo\",\"tags\":[1]}", "{\"name\":\"\\u0000\",\"handler\":\"echo\"}",
            "{\"name\":\"x\",\"handler\":\"echo\",\"priority\":1e400}", "{\"name\":\"x\",\"handler\":\"echo\",\"id\":\"\"}",
            new string('[', 5000),
        ];
        foreach (var body in bodies)
        {
            var response = await Http.PostJson("/api/tasks", body);
            Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode} for {body[..Math.Min(body.Length, 60)]}: {await response.Content.ReadAsStringAsync()}");
        }
    }
}
