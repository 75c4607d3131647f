using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Oee.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class SchedulesApiTests(ApiFixture fixture)
{
    private const string EverySecond = """{"cron":"* * * * * *","task":{"name":"tick","handler":"echo","input":{"n":1},"tags":["cron"]}}""";

    private HttpClient Http => fixture.Http;

    private static string NewName() => $"s-{Guid.NewGuid():N}";

    [Fact]
    public async Task Put_creates_then_replaces_and_get_list_pause_resume_and_delete_follow()
    {
        var name = NewName();
        var created = await Http.PutJson($"/api/schedules/{name}", """{"cron":"0 9 * * MON-FRI","timeZone":"Europe/Berlin","task":{"name":"report","handler":"echo"},"missedRuns":"runAll","maxMissedRuns":3,"overlap":"skip"}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/schedules/{name}", created.Headers.Location?.OriginalString);
        var body = await created.Json();
        Assert.Equal("Europe/Berlin", body.GetProperty("timeZone").GetString());
        Assert.Equal("runAll", body.GetProperty("missedRuns").GetString());
        Assert.Equal(3, body.GetProperty("maxMissedRuns").GetInt32());
        Assert.Equal("skip", body.GetProperty("overlap").GetString());
        Assert.False(body.GetProperty("paused").GetBoolean());
        var next = body.GetProperty("nextOccurrences").EnumerateArray().Select(o => o.GetDateTimeOffset()).ToArray();
        Assert.Equal(5, next.Length);
        Assert.All(next, o => Assert.InRange(o.ToUniversalTime().Hour, 7, 8));

        var same = await Http.PutJson($"/api/schedules/{name}", """{"cron":"0 9 * * MON-FRI","timeZone":"Europe/Berlin","task":{"name":"report","handler":"echo"},"missedRuns":"runAll","maxMissedRuns":3,"overlap":"skip"}""");
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        var replaced = await (await Http.PutJson($"/api/schedules/{name}", """{"cron":"@daily","task":{"name":"report","handler":"echo"}}""")).Json();
        Assert.Equal("@daily", replaced.GetProperty("cron").GetString());
        Assert.Equal("UTC", replaced.GetProperty("timeZone").GetString());
        Assert.Equal("runOnce", replaced.GetProperty("missedRuns").GetString());
        Assert.Equal("allow", replaced.GetProperty("overlap").GetString());

        var got = await Http.GetFromJsonAsync<JsonElement>($"/api/schedules/{name}");
        Assert.Equal(name, got.GetProperty("name").GetString());
        var list = await Http.GetFromJsonAsync<JsonElement>("/api/schedules");
        Assert.Contains(list.EnumerateArray(), s => s.GetProperty("name").GetString() == name);

        var paused = await (await Http.PostAsync($"/api/schedules/{name}/pause", null)).Json();
        Assert.True(paused.GetProperty("paused").GetBoolean());
        Assert.Empty(paused.GetProperty("nextOccurrences").EnumerateArray());
        var resumed = await (await Http.PostAsync($"/api/schedules/{name}/resume", null)).Json();
        Assert.False(resumed.GetProperty("paused").GetBoolean());

        Assert.Equal(HttpStatusCode.NoContent, (await Http.DeleteAsync($"/api/schedules/{name}")).StatusCode);
        await (await Http.GetAsync($"/api/schedules/{name}")).AssertProblem(HttpStatusCode.NotFound);
        await (await Http.DeleteAsync($"/api/schedules/{name}")).AssertProblem(HttpStatusCode.NotFound);
        await (await Http.PostAsync($"/api/schedules/{name}/pause", null)).AssertProblem(HttpStatusCode.NotFound);
        await (await Http.PostAsync($"/api/schedules/{name}/resume", null)).AssertProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_schedule_s_task_template_carries_a_timeout_a_retry_policy_and_a_concurrency_key_to_its_tasks()
    {
        var name = NewName();
        var json = """{"cron":"* * * * * *","task":{"name":"tick","handler":"echo","timeout":"PT1M","retry":{"retryOn":"all","initialDelay":"PT2S"},"concurrencyKey":"tenant-a"}}""";
        var created = await (await Http.PutJson($"/api/schedules/{name}", json)).Json();
        var template = created.GetProperty("task");
        Assert.Equal("PT1M", template.GetProperty("timeout").GetString());
        Assert.Equal("PT2S", template.GetProperty("retry").GetProperty("initialDelay").GetString());
        Assert.Equal("tenant-a", template.GetProperty("concurrencyKey").GetString());

        var deadline = DateTime.UtcNow.AddSeconds(60);
        JsonElement runs;
        do
        {
            await Task.Delay(100);
            runs = (await Http.GetFromJsonAsync<JsonElement>($"/api/schedules/{name}")).GetProperty("runs");
        }
        while (runs.GetArrayLength() == 0 && DateTime.UtcNow < deadline);

        await Http.DeleteAsync($"/api/schedules/{name}");
        var task = await Http.GetFromJsonAsync<JsonElement>($"/api/tasks/{runs[0].GetProperty("taskId").GetString()}");
        Assert.Equal("PT1M", task.GetProperty("timeout").GetString());
        Assert.Equal("all", task.GetProperty("retry").GetProperty("retryOn").GetString());
        Assert.Equal("tenant-a", task.GetProperty("concurrencyKey").GetString());
    }

    [Fact]
    public async Task A_schedule_every_second_submits_tasks_with_deterministic_ids_that_run()
    {
        var name = NewName();
        Assert.Equal(HttpStatusCode.Created, (await Http.PutJson($"/api/schedules/{name}", EverySecond)).StatusCode);

        var deadline = DateTime.UtcNow.AddSeconds(60);
        JsonElement runs;
        do
        {
            await Task.Delay(100);
            runs = (await Http.GetFromJsonAsync<JsonElement>($"/api/schedules/{name}")).GetProperty("runs");
        }
        while (!(runs.GetArrayLength() >= 2 && runs[1].GetProperty("taskStatus").GetString() == "done") && DateTime.UtcNow < deadline);

        var run = runs[1];
        Assert.Equal("submitted", run.GetProperty("outcome").GetString());
        var occurrence = run.GetProperty("occurrence").GetDateTimeOffset().UtcDateTime;
        var taskId = run.GetProperty("taskId").GetString()!;
        Assert.Equal($"schedule:{name}:{occurrence:yyyyMMdd'T'HHmmss'Z'}", taskId);
        var task = await Http.WaitForStatus(taskId, "done");
        Assert.Equal("tick", task.GetProperty("name").GetString());
        Assert.Equal(1, task.GetProperty("result").GetProperty("n").GetInt32());

        Assert.Equal(HttpStatusCode.NoContent, (await Http.DeleteAsync($"/api/schedules/{name}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync($"/api/tasks/{taskId}")).StatusCode);
    }

    [Theory]
    [InlineData("""{"cron":"* * *","task":{"name":"t","handler":"echo"}}""", "cron")]
    [InlineData("""{"task":{"name":"t","handler":"echo"}}""", "cron")]
    [InlineData("""{"cron":"61 * * * *","task":{"name":"t","handler":"echo"}}""", "cron")]
    [InlineData("""{"cron":"@daily","timeZone":"Mars/Base","task":{"name":"t","handler":"echo"}}""", "timeZone")]
    [InlineData("""{"cron":"@daily","missedRuns":"sometimes","task":{"name":"t","handler":"echo"}}""", "missedRuns")]
    [InlineData("""{"cron":"@daily","overlap":"never","task":{"name":"t","handler":"echo"}}""", "overlap")]
    [InlineData("""{"cron":"@daily","missedRuns":7,"task":{"name":"t","handler":"echo"}}""", "missedRuns")]
    [InlineData("""{"cron":"@daily","overlap":1,"task":{"name":"t","handler":"echo"}}""", "overlap")]
    [InlineData("""{"cron":"@daily","maxMissedRuns":0,"task":{"name":"t","handler":"echo"}}""", "maxMissedRuns")]
    [InlineData("""{"cron":"@daily"}""", "task")]
    [InlineData("""{"cron":"@daily","task":{"name":"t","handler":"no-such-handler"}}""", "task.handler")]
    [InlineData("""{"cron":"@daily","task":{"name":"","handler":"echo"}}""", "task.name")]
    [InlineData("""{"cron":"@daily","task":{"name":"t","handler":"echo","priority":11}}""", "task.priority")]
    [InlineData("""{"cron":"@daily","task":{"name":"t","handler":"echo","priority":"high"}}""", "task.priority")]
    [InlineData("""{"cron":"@daily","task":{"name":"t","handler":"delay","input":{"ms":-1}}}""", "task.input")]
    [InlineData("""{"cron":5,"task":{"name":"t","handler":"echo"}}""", "cron")]
    [InlineData("""{"cron":"@daily","task":{"name":"t","handler":"echo","timeout":"soon"}}""", "task.timeout")]
    [InlineData("""{"cron":"@daily","task":{"name":"t","handler":"echo","timeout":"PT0S"}}""", "task.timeout")]
    [InlineData("""{"cron":"@daily","task":{"name":"t","handler":"echo","retry":{"multiplier":500}}}""", "task.retry.multiplier")]
    [InlineData("""{"cron":"@daily","task":{"name":"t","handler":"echo","concurrencyKey":"a b"}}""", "task.concurrencyKey")]
    [InlineData("not json", "body")]
    public async Task A_bad_schedule_is_a_400_naming_the_field_and_nothing_is_stored(string json, string field)
    {
        var name = NewName();
        await (await Http.PutJson($"/api/schedules/{name}", json)).AssertInvalidField(field);
        await (await Http.GetAsync($"/api/schedules/{name}")).AssertProblem(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("has:colon")]
    [InlineData("has%20space")]
    public async Task A_bad_name_is_a_400_on_every_route(string name)
    {
        await (await Http.PutJson($"/api/schedules/{name}", EverySecond)).AssertInvalidField("name");
        await (await Http.GetAsync($"/api/schedules/{name}")).AssertInvalidField("name");
        await (await Http.DeleteAsync($"/api/schedules/{name}")).AssertInvalidField("name");
        await (await Http.PostAsync($"/api/schedules/{name}/pause", null)).AssertInvalidField("name");
    }
}
