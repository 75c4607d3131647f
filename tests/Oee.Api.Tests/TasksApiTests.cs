using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Oee.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class TasksApiTests(ApiFixture fixture)
{
    private HttpClient Http => fixture.Http;

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    [Fact]
    public async Task Submit_returns_201_with_location_and_the_task_runs_to_done()
    {
        var response = await Http.PostJson("/api/tasks", """{"name":"hello","handler":"echo","priority":7,"tags":["a"],"input":{"x":[1,2]}}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var task = await response.Json();
        var id = task.GetProperty("id").GetString()!;
        Assert.Equal($"/api/tasks/{id}", response.Headers.Location!.OriginalString);
        Assert.Equal("queued", task.GetProperty("status").GetString());
        Assert.Equal("default", task.GetProperty("queue").GetString());
        Assert.Equal(7, task.GetProperty("priority").GetInt32());

        var done = await Http.WaitForStatus(id, "done");
        Assert.Equal("""{"x":[1,2]}""", done.GetProperty("result").GetRawText().Replace(" ", ""));
        Assert.Equal(1, done.GetProperty("attempt").GetInt32());
    }

    [Fact]
    public async Task Same_id_same_request_is_200_with_the_same_task_and_a_different_request_is_409()
    {
        var id = Unique("idem");
        var body = $$$"""{"id":"{{{id}}}","name":"once","handler":"echo","input":{"a":1}}""";
        var first = await Http.PostJson("/api/tasks", body);
        var second = await Http.PostJson("/api/tasks", body);
        var different = await Http.PostJson("/api/tasks", $$"""{"id":"{{id}}","name":"twice","handler":"echo"}""");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal((await first.Json()).GetProperty("createdAt").GetString(), (await second.Json()).GetProperty("createdAt").GetString());
        await different.AssertProblem(HttpStatusCode.Conflict);
    }

    [Theory]
    [InlineData("""{"name":"x","handler":"echo",""", "body")]
    [InlineData("""not json""", "body")]
    [InlineData("""{"handler":"echo"}""", "name")]
    [InlineData("""{"name":"x"}""", "handler")]
    [InlineData("""{"name":"x","handler":"no-such-handler"}""", "handler")]
    [InlineData("""{"name":"x","handler":"echo","priority":11}""", "priority")]
    [InlineData("""{"name":"x","handler":"echo","priority":-1}""", "priority")]
    [InlineData("""{"name":"x","handler":"echo","priority":5.5}""", "priority")]
    [InlineData("""{"name":"x","handler":"echo","priority":"5"}""", "priority")]
    [InlineData("""{"name":"x","handler":"echo","id":"has space"}""", "id")]
    [InlineData("""{"name":"x","handler":"echo","queue":"a/b"}""", "queue")]
    [InlineData("""{"name":"x","handler":"echo","tags":"notalist"}""", "tags")]
    [InlineData("""{"name":"x","handler":"delay","input":{"ms":"soon"}}""", "input")]
    [InlineData("""{"name":"x","handler":"fail"}""", "input")]
    [InlineData("""[1,2,3]""", "body")]
    [InlineData("""{"name":"x","handler":"echo","timeout":"00:00:00"}""", "timeout")]
    [InlineData("""{"name":"x","handler":"echo","timeout":"-00:00:05"}""", "timeout")]
    [InlineData("""{"name":"x","handler":"echo","timeout":"366.00:00:00"}""", "timeout")]
    [InlineData("""{"name":"x","handler":"echo","timeout":"soon"}""", "timeout")]
    [InlineData("""{"name":"x","handler":"echo","timeout":30}""", "timeout")]
    [InlineData("""{"name":"x","handler":"echo","retry":{"retryOn":5}}""", "retry.retryOn")]
    [InlineData("""{"name":"x","handler":"echo","retry":{"retryOn":0}}""", "retry.retryOn")]
    [InlineData("""{"name":"x","handler":"echo","callbackUrl":"http://127.0.0.1:9/h","callbackEvents":7}""", "callbackEvents")]
    public async Task Bad_submits_are_400_problems_naming_the_field(string body, string field) =>
        await (await Http.PostJson("/api/tasks", body)).AssertInvalidField(field);

    [Fact]
    public async Task A_batch_is_200_with_each_task_s_outcome_in_order()
    {
        var taken = Unique("taken");
        Assert.Equal(HttpStatusCode.Created, (await Http.PostJson("/api/tasks", $$"""{"id":"{{taken}}","name":"first","handler":"echo"}""")).StatusCode);
        var body = $$$"""
            {"tasks":[
              {"name":"a","handler":"echo","input":{"n":1}},
              {"id":"{{{taken}}}","name":"other","handler":"echo"},
              {"name":"b","handler":"no-such-handler"},
              {"id":"{{{taken}}}","name":"first","handler":"echo"}
            ]}
            """;

        var response = await Http.PostJson("/api/tasks/batch", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var batch = await response.Json();
        Assert.Equal(1, batch.GetProperty("created").GetInt32());
        Assert.Equal(1, batch.GetProperty("existing").GetInt32());
        Assert.Equal(1, batch.GetProperty("conflicts").GetInt32());
        Assert.Equal(1, batch.GetProperty("invalid").GetInt32());
        Assert.Equal(0, batch.GetProperty("failed").GetInt32());
        var results = batch.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(["created", "conflict", "invalid", "existing"], results.Select(r => r.GetProperty("status").GetString()));
        Assert.True(results[2].GetProperty("errors").TryGetProperty("handler", out _), results[2].ToString());
        Assert.Equal(taken, results[1].GetProperty("id").GetString());

        var id = results[0].GetProperty("id").GetString()!;
        Assert.Equal(id, results[0].GetProperty("task").GetProperty("id").GetString());
        var done = await Http.WaitForStatus(id, "done");
        Assert.Equal("""{"n":1}""", done.GetProperty("result").GetRawText().Replace(" ", ""));
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"/api/tasks/{results[2].GetProperty("id").GetString()}")).StatusCode);
    }

    [Theory]
    [InlineData("""{}""", "tasks")]
    [InlineData("""{"tasks":[]}""", "tasks")]
    [InlineData("""{"tasks":"many"}""", "tasks")]
    [InlineData("""{"tasks":[null]}""", "tasks[0]")]
    [InlineData("""{"tasks":[{"name":"ok","handler":"echo"},1]}""", "tasks[1]")]
    [InlineData("""{"tasks":[{"name":"ok","handler":"echo"},{"name":"x","handler":"echo","priority":"high"}]}""", "tasks[1].priority")]
    [InlineData("""{"tasks":[{"name":"ok","handler":"echo"},{"handler":"echo"}]}""", "tasks[1].name")]
    [InlineData("""{"tasks":[{"name":"x","handler":"echo","tags":["a b"]}]}""", "tasks[0].tags")]
    public async Task Bad_batches_are_400_naming_the_task_and_field(string body, string field) =>
        await (await Http.PostJson("/api/tasks/batch", body)).AssertInvalidField(field);

    [Fact]
    public async Task A_batch_with_one_bad_task_submits_none_of_them()
    {
        var id = Unique("kept-out");
        var response = await Http.PostJson("/api/tasks/batch", $$"""{"tasks":[{"id":"{{id}}","name":"ok","handler":"echo"},{"name":"","handler":"echo"}]}""");

        await response.AssertInvalidField("tasks[1].name");
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"/api/tasks/{id}")).StatusCode);
    }

    [Fact]
    public async Task A_batch_of_more_than_a_thousand_is_400()
    {
        var tasks = string.Join(',', Enumerable.Repeat("""{"name":"x","handler":"echo"}""", 1001));
        await (await Http.PostJson("/api/tasks/batch", $$"""{"tasks":[{{tasks}}]}""")).AssertInvalidField("tasks");
    }

    [Fact]
    public async Task Long_names_and_ids_and_huge_inputs_are_400()
    {
        await (await Http.PostJson("/api/tasks", $$"""{"name":"{{new string('n', 201)}}","handler":"echo"}""")).AssertInvalidField("name");
        await (await Http.PostJson("/api/tasks", $$"""{"id":"{{new string('i', 129)}}","name":"x","handler":"echo"}""")).AssertInvalidField("id");
        await (await Http.PostJson("/api/tasks", $$"""{"queue":"{{new string('q', 129)}}","name":"x","handler":"echo"}""")).AssertInvalidField("queue");
        var huge = JsonSerializer.Serialize(new string('x', ApiFixture.MaxInputBytes));
        await (await Http.PostJson("/api/tasks", $$"""{"name":"x","handler":"echo","input":{{huge}}}""")).AssertInvalidField("input");
    }

    [Fact]
    public async Task Get_of_an_unknown_task_is_404_and_of_a_bad_id_is_400()
    {
        await (await Http.GetAsync($"/api/tasks/{Unique("ghost")}")).AssertProblem(HttpStatusCode.NotFound);
        await (await Http.GetAsync("/api/tasks/bad%20id")).AssertInvalidField("id");
    }

    [Fact]
    public async Task Cancel_answers_200_for_queued_202_for_running_404_for_unknown_and_409_for_done()
    {
        var queue = Unique("cancel");
        Assert.Equal(HttpStatusCode.OK, (await Http.PutJson($"/api/queues/{queue}", """{"maxConcurrency":1}""")).StatusCode);

        // The delay handler's longest wait (a day): the body runs until the cancel stops it.
        var running = (await (await Http.PostJson("/api/tasks", $$$"""{"name":"long","handler":"delay","queue":"{{{queue}}}","input":{"ms":86400000}}""")).Json()).GetProperty("id").GetString()!;
        var queued = (await (await Http.PostJson("/api/tasks", $$"""{"name":"waits","handler":"echo","queue":"{{queue}}"}""")).Json()).GetProperty("id").GetString()!;
        await Http.WaitForStatus(running, "running");

        var cancelQueued = await Http.PostAsync($"/api/tasks/{queued}/cancel", null);
        Assert.Equal(HttpStatusCode.OK, cancelQueued.StatusCode);
        Assert.Equal("cancelled", (await cancelQueued.Json()).GetProperty("status").GetString());

        var cancelRunning = await Http.PostAsync($"/api/tasks/{running}/cancel", null);
        Assert.Equal(HttpStatusCode.Accepted, cancelRunning.StatusCode);
        Assert.True((await cancelRunning.Json()).GetProperty("cancelRequested").GetBoolean());
        await Http.WaitForStatus(running, "cancelled");

        await (await Http.PostAsync($"/api/tasks/{Unique("ghost")}/cancel", null)).AssertProblem(HttpStatusCode.NotFound);

        var done = (await (await Http.PostJson("/api/tasks", """{"name":"quick","handler":"echo"}""")).Json()).GetProperty("id").GetString()!;
        await Http.WaitForStatus(done, "done");
        var conflict = await (await Http.PostAsync($"/api/tasks/{done}/cancel", null)).AssertProblem(HttpStatusCode.Conflict);
        Assert.Contains("done", conflict.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_body_running_past_its_timeout_is_error_of_type_timeout()
    {
        var response = await Http.PostJson("/api/tasks", """{"name":"too slow","handler":"delay","input":{"ms":600000},"timeout":"00:00:00.200","maxAttempts":1}""");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var task = await response.Json();
        Assert.Equal("PT0.2S", task.GetProperty("timeout").GetString());

        var failed = await Http.WaitForStatus(task.GetProperty("id").GetString()!, "error");
        Assert.Equal("Timeout", failed.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_failing_body_is_error_with_its_message()
    {
        var id = (await (await Http.PostJson("/api/tasks", """{"name":"boom","handler":"fail","input":{"message":"kaput"}}""")).Json()).GetProperty("id").GetString()!;
        var failed = await Http.WaitForStatus(id, "error");
        Assert.Equal("kaput", failed.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task List_filters_and_pages_with_a_cursor()
    {
        var queue = Unique("list");
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var created = await (await Http.PostJson("/api/tasks", $$"""{"name":"n{{i % 2}}","handler":"echo","queue":"{{queue}}","tags":["t{{i}}"]}""")).Json();
            ids.Add(created.GetProperty("id").GetString()!);
        }

        foreach (var id in ids)
        {
            await Http.WaitForStatus(id, "done");
        }

        var first = await Http.GetFromJsonAsync<JsonElement>($"/api/tasks?queue={queue}&limit=3");
        Assert.Equal(3, first.GetProperty("items").GetArrayLength());
        var cursor = first.GetProperty("nextCursor").GetString();
        var second = await Http.GetFromJsonAsync<JsonElement>($"/api/tasks?queue={queue}&limit=3&cursor={Uri.EscapeDataString(cursor!)}");
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);
        var listed = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray()).Select(t => t.GetProperty("id").GetString()).ToList();
        Assert.Equal(Enumerable.Reverse(ids), listed);

        var byName = await Http.GetFromJsonAsync<JsonElement>($"/api/tasks?queue={queue}&name=n0&status=done");
        Assert.Equal(3, byName.GetProperty("items").GetArrayLength());
        var byTag = await Http.GetFromJsonAsync<JsonElement>($"/api/tasks?queue={queue}&tag=t4");
        Assert.Equal(ids[4], byTag.GetProperty("items")[0].GetProperty("id").GetString());
    }

    [Theory]
    [InlineData("status=bogus", "status")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=501", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    [InlineData("queue=a%2Fb", "queue")]
    public async Task Bad_list_parameters_are_400_naming_them(string query, string field) =>
        await (await Http.GetAsync($"/api/tasks?{query}")).AssertInvalidField(field);

    [Fact]
    public async Task A_wrong_type_is_said_without_dotnet_type_names_and_a_missing_body_plainly()
    {
        var wrong = await Http.PostJson("/api/tasks", """{"name":"x","handler":"echo","priority":"5"}""");
        await wrong.AssertInvalidField("priority");
        var message = (await wrong.Json()).GetProperty("errors").GetProperty("priority")[0].GetString()!;
        Assert.DoesNotContain("Oee.", message, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", message, StringComparison.Ordinal);
        Assert.Contains("line 1", message, StringComparison.Ordinal);

        foreach (var body in new[] { "null", "" })
        {
            var none = await Http.PostJson("/api/tasks", body);
            await none.AssertInvalidField("body");
            Assert.Equal(
                "The request needs a JSON object as its body (it had none, or null).",
                (await none.Json()).GetProperty("errors").GetProperty("body")[0].GetString());
        }
    }

    [Fact]
    public async Task Clear_finished_removes_finished_tasks_and_refuses_a_bad_age()
    {
        var id = (await (await Http.PostJson("/api/tasks", """{"name":"old","handler":"echo"}""")).Json()).GetProperty("id").GetString()!;
        await Http.WaitForStatus(id, "done");

        var none = await Http.DeleteAsync("/api/tasks/finished?olderThan=P1D");
        Assert.Equal(HttpStatusCode.OK, none.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync($"/api/tasks/{id}")).StatusCode);

        // An age reaching back past the calendar's start (year 1) removes nothing; it is not an error.
        var beyond = await Http.DeleteAsync("/api/tasks/finished?olderThan=P3000000D");
        Assert.Equal(HttpStatusCode.OK, beyond.StatusCode);
        Assert.Equal(0, (await beyond.Json()).GetProperty("removed").GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync($"/api/tasks/{id}")).StatusCode);

        var all = await Http.DeleteAsync("/api/tasks/finished?olderThan=00:00:00");
        Assert.True((await all.Json()).GetProperty("removed").GetInt32() >= 1);
        await (await Http.GetAsync($"/api/tasks/{id}")).AssertProblem(HttpStatusCode.NotFound);

        await (await Http.DeleteAsync("/api/tasks/finished?olderThan=yesterday")).AssertInvalidField("olderThan");
        await (await Http.DeleteAsync("/api/tasks/finished?olderThan=-01:00:00")).AssertInvalidField("olderThan");
    }
}
