using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Oee.Api.Tests;

/// <summary>Delayed starts, retry policies, dead letters and the retry endpoint over HTTP.</summary>
[Collection(ApiCollection.Name)]
public sealed class RetriesAndDelaysApiTests(ApiFixture fixture)
{
    private HttpClient Http => fixture.Http;

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    [Theory]
    [InlineData("""{"name":"x","handler":"echo","runAt":"2030-01-01T00:00:00Z","delay":"PT1S"}""", "runAt")]
    [InlineData("""{"name":"x","handler":"echo","runAt":"tomorrow"}""", "runAt")]
    [InlineData("""{"name":"x","handler":"echo","runAt":"2999-01-01T00:00:00Z"}""", "runAt")]
    [InlineData("""{"name":"x","handler":"echo","delay":"soon"}""", "delay")]
    [InlineData("""{"name":"x","handler":"echo","delay":"-00:00:01"}""", "delay")]
    [InlineData("""{"name":"x","handler":"echo","delay":"P400D"}""", "delay")]
    [InlineData("""{"name":"x","handler":"echo","delay":5}""", "delay")]
    [InlineData("""{"name":"x","handler":"echo","retry":{"retryOn":"sometimes"}}""", "retry.retryOn")]
    [InlineData("""{"name":"x","handler":"echo","retry":{"initialDelay":"later"}}""", "retry.initialDelay")]
    [InlineData("""{"name":"x","handler":"echo","retry":{"initialDelay":"PT2M","maxDelay":"PT1M"}}""", "retry.maxDelay")]
    [InlineData("""{"name":"x","handler":"echo","retry":{"multiplier":0.5}}""", "retry.multiplier")]
    [InlineData("""{"name":"x","handler":"echo","retry":{"jitter":1.5}}""", "retry.jitter")]
    [InlineData("""{"name":"x","handler":"echo","retry":"always"}""", "retry")]
    public async Task Bad_delay_and_retry_fields_are_400_naming_them(string body, string field) =>
        await (await Http.PostJson("/api/tasks", body)).AssertInvalidField(field);

    [Fact]
    public async Task A_bad_delay_in_a_batch_names_the_task()
    {
        var body = """{"tasks":[{"name":"a","handler":"echo"},{"name":"b","handler":"echo","delay":"soon"}]}""";
        await (await Http.PostJson("/api/tasks/batch", body)).AssertInvalidField("tasks[1].delay");
    }

    [Fact]
    public async Task A_delayed_task_is_scheduled_with_its_time_then_runs_no_earlier()
    {
        var created = await Http.PostJson("/api/tasks", """{"name":"later","handler":"echo","input":1,"delay":"PT1S"}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var task = await created.Json();
        Assert.Equal("scheduled", task.GetProperty("status").GetString());
        var due = task.GetProperty("nextRunAt").GetDateTimeOffset();
        Assert.Equal(task.GetProperty("createdAt").GetDateTimeOffset() + TimeSpan.FromSeconds(1), due);

        var done = await Http.WaitForStatus(task.GetProperty("id").GetString()!, "done");
        Assert.True(done.GetProperty("startedAt").GetDateTimeOffset() >= due);
        Assert.Equal(JsonValueKind.Null, done.GetProperty("nextRunAt").ValueKind);

        // A batch takes runAt and delay too.
        var batch = await (await Http.PostJson("/api/tasks/batch", $$"""{"tasks":[{"name":"b","handler":"echo","runAt":"{{DateTimeOffset.UtcNow.AddHours(1):O}}"}]}""")).Json();
        var scheduled = batch.GetProperty("results")[0].GetProperty("task");
        Assert.Equal("scheduled", scheduled.GetProperty("status").GetString());
        var id = scheduled.GetProperty("id").GetString()!;
        var listed = await Http.GetFromJsonAsync<JsonElement>("/api/tasks?status=scheduled&limit=500");
        Assert.Contains(listed.GetProperty("items").EnumerateArray(), t => t.GetProperty("id").GetString() == id && t.GetProperty("nextRunAt").ValueKind == JsonValueKind.String);
        var counts = await Http.GetFromJsonAsync<JsonElement>("/api/system");
        Assert.True(counts.GetProperty("taskCounts").GetProperty("scheduled").GetInt64() >= 1);

        // Retrying a scheduled task is a conflict; cancelling it is immediate.
        await (await Http.PostAsync($"/api/tasks/{id}/retry", null)).AssertProblem(HttpStatusCode.Conflict);
        var cancelled = await Http.PostAsync($"/api/tasks/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal("cancelled", (await cancelled.Json()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Attempts_used_up_dead_letter_the_task_and_retry_requeues_it()
    {
        var name = Unique("dead");
        var body = $$$"""{"name":"{{{name}}}","handler":"fail","input":{"message":"no"},"maxAttempts":2,"retry":{"retryOn":"all","initialDelay":"PT0S","jitter":0}}""";
        var task = await (await Http.PostJson("/api/tasks", body)).Json();
        var id = task.GetProperty("id").GetString()!;
        Assert.Equal("all", task.GetProperty("retry").GetProperty("retryOn").GetString());
        Assert.Equal("PT0S", task.GetProperty("retry").GetProperty("initialDelay").GetString());

        var dead = await Http.WaitForStatus(id, "error");
        Assert.True(dead.GetProperty("deadLettered").GetBoolean());
        Assert.Equal(2, dead.GetProperty("attempt").GetInt32());

        var listed = await Http.GetFromJsonAsync<JsonElement>($"/api/tasks?name={name}&deadLettered=true");
        Assert.Equal(id, Assert.Single(listed.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
        Assert.Empty((await Http.GetFromJsonAsync<JsonElement>($"/api/tasks?name={name}&deadLettered=false")).GetProperty("items").EnumerateArray());

        var retried = await Http.PostAsync($"/api/tasks/{id}/retry", null);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        var requeued = await retried.Json();
        Assert.Equal("queued", requeued.GetProperty("status").GetString());
        Assert.False(requeued.GetProperty("deadLettered").GetBoolean());

        // A fresh budget of two attempts: 3 and 4.
        var again = await Http.WaitForTask(id, t => t.GetProperty("status").GetString() == "error" && t.GetProperty("attempt").GetInt32() == 4);
        Assert.True(again.GetProperty("deadLettered").GetBoolean());
    }

    [Fact]
    public async Task Retry_is_404_for_an_unknown_task_400_for_a_bad_id_and_409_for_a_done_one()
    {
        await (await Http.PostAsync($"/api/tasks/{Unique("nobody")}/retry", null)).AssertProblem(HttpStatusCode.NotFound);
        await (await Http.PostAsync("/api/tasks/has%20space/retry", null)).AssertInvalidField("id");

        var id = (await (await Http.PostJson("/api/tasks", """{"name":"ok","handler":"echo"}""")).Json()).GetProperty("id").GetString()!;
        await Http.WaitForStatus(id, "done");
        var conflict = await (await Http.PostAsync($"/api/tasks/{id}/retry", null)).AssertProblem(HttpStatusCode.Conflict);
        Assert.Contains("done", conflict.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_dead_letter_filter_is_400()
    {
        await (await Http.GetAsync("/api/tasks?deadLettered=maybe")).AssertInvalidField("deadLettered");
        await (await Http.GetAsync("/api/tasks?status=later")).AssertInvalidField("status");
    }

    [Fact]
    public async Task A_queue_takes_a_default_retry_policy_and_attempts()
    {
        var queue = Unique("q");
        var response = await Http.PutAsJsonAsync($"/api/queues/{queue}", new { retry = new { retryOn = "transient", initialDelay = "PT5S", maxDelay = "PT1M", multiplier = 3 }, maxAttempts = 4 });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var status = await response.Json();
        Assert.Equal(4, status.GetProperty("maxAttempts").GetInt32());
        Assert.Equal("PT5S", status.GetProperty("retry").GetProperty("initialDelay").GetString());
        Assert.Equal("PT1M", status.GetProperty("retry").GetProperty("maxDelay").GetString());
        Assert.Equal(0.2, status.GetProperty("retry").GetProperty("jitter").GetDouble());
        Assert.Equal(0, status.GetProperty("scheduled").GetInt32());

        var task = await (await Http.PostJson("/api/tasks", $$"""{"name":"t","handler":"echo","queue":"{{queue}}","delay":"PT1H"}""")).Json();
        Assert.Equal(4, task.GetProperty("maxAttempts").GetInt32());
        Assert.Equal(3, task.GetProperty("retry").GetProperty("multiplier").GetDouble());
        var withScheduled = await Http.GetFromJsonAsync<JsonElement>($"/api/queues/{queue}");
        Assert.Equal(1, withScheduled.GetProperty("scheduled").GetInt32());
        Assert.Equal(task.GetProperty("nextRunAt").GetDateTimeOffset(), withScheduled.GetProperty("nextDueAt").GetDateTimeOffset());
        await Http.PostAsync($"/api/tasks/{task.GetProperty("id").GetString()}/cancel", null);

        var cleared = await (await Http.PutAsJsonAsync($"/api/queues/{queue}", new { retry = new { retryOn = "none" } })).Json();
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("retry").ValueKind);

        await (await Http.PutAsJsonAsync($"/api/queues/{queue}", new { retry = new { multiplier = 500 } })).AssertInvalidField("retry.multiplier");
        await (await Http.PutAsJsonAsync($"/api/queues/{queue}", new { retry = new { maxDelay = "whenever" } })).AssertInvalidField("retry.maxDelay");
        await (await Http.PutAsJsonAsync($"/api/queues/{queue}", new { maxAttempts = 0 })).AssertInvalidField("maxAttempts");

        // A number for a name is refused, and writes nothing (a number with no member would have become a policy).
        await (await Http.PutJson($"/api/queues/{queue}", """{"retry":{"retryOn":7}}""")).AssertInvalidField("retry.retryOn");
        Assert.Equal(JsonValueKind.Null, (await Http.GetFromJsonAsync<JsonElement>($"/api/queues/{queue}")).GetProperty("retry").ValueKind);
    }

    [Fact]
    public async Task A_queue_s_default_timeout_and_attempts_reach_its_tasks_also_those_waiting_for_dependencies()
    {
        var queue = Unique("q");
        var status = await (await Http.PutAsJsonAsync($"/api/queues/{queue}", new { timeout = "PT5M", maxAttempts = 4 })).Json();
        Assert.Equal("PT5M", status.GetProperty("timeout").GetString());

        var first = await (await Http.PostJson("/api/tasks", $$"""{"name":"t","handler":"echo","queue":"{{queue}}","delay":"PT1H"}""")).Json();
        Assert.Equal("PT5M", first.GetProperty("timeout").GetString());
        var own = await (await Http.PostJson("/api/tasks", $$"""{"name":"t","handler":"echo","queue":"{{queue}}","delay":"PT1H","timeout":"PT10S"}""")).Json();
        Assert.Equal("PT10S", own.GetProperty("timeout").GetString());

        // A task waiting for its dependencies takes its queue's defaults at submit too.
        var waiting = await (await Http.PostJson("/api/tasks", $$"""{"name":"w","handler":"echo","queue":"{{queue}}","dependsOn":["{{first.GetProperty("id").GetString()}}"]}""")).Json();
        Assert.Equal("waiting", waiting.GetProperty("status").GetString());
        Assert.Equal("PT5M", waiting.GetProperty("timeout").GetString());
        Assert.Equal(4, waiting.GetProperty("maxAttempts").GetInt32());

        var cleared = await (await Http.PutAsJsonAsync($"/api/queues/{queue}", new { timeout = "PT0S" })).Json();
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("timeout").ValueKind);
        var after = await (await Http.PostJson("/api/tasks", $$"""{"name":"t","handler":"echo","queue":"{{queue}}","delay":"PT1H"}""")).Json();
        Assert.Equal(JsonValueKind.Null, after.GetProperty("timeout").ValueKind);

        await (await Http.PutAsJsonAsync($"/api/queues/{queue}", new { timeout = "P400D" })).AssertInvalidField("timeout");
        await (await Http.PutAsJsonAsync($"/api/queues/{queue}", new { timeout = "soon" })).AssertInvalidField("timeout");
        foreach (var task in new[] { first, own, waiting, after })
        {
            await Http.PostAsync($"/api/tasks/{task.GetProperty("id").GetString()}/cancel", null);
        }
    }
}
