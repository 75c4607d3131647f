using System.Net;
using System.Text;
using System.Text.Json;

namespace Oee.Api.Tests;

/// <summary>
/// <c>POST /api/tasks</c> with <c>Prefer: return=minimal</c> (RFC 7240): 201 with Location and 200 without a
/// body and with <c>Preference-Applied</c>; refusals answer as without the header; without it (or with
/// another preference) the whole task comes back. <c>POST /api/tasks/batch</c> with it: each task's id and
/// outcome, the created and existing tasks themselves left out. Run on memory storage (<see cref="MinimalSubmitApiTestsOnMemory"/>)
/// and on PostgreSQL (<see cref="MinimalSubmitApiTestsOnPostgres"/>).
/// </summary>
public abstract class MinimalSubmitApiTests(HttpClient http)
{
    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    [Theory]
    [InlineData("return=minimal")]
    [InlineData("RETURN = \"Minimal\"")]
    [InlineData("respond-async, return=minimal; x=1")]
    public async Task A_minimal_submit_is_201_with_location_and_no_body_and_the_task_runs_to_done(string prefer)
    {
        var tag = Unique("minimal");
        var response = await Submit($$$"""{"name":"small","handler":"echo","tags":["{{{tag}}}"],"input":{"n":[1,2]}}""", prefer);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        AssertMinimal(response);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith("/api/tasks/", location, StringComparison.Ordinal);
        var id = Uri.UnescapeDataString(location["/api/tasks/".Length..]);

        var done = await http.WaitForStatus(id, "done");
        Assert.Equal("""{"n":[1,2]}""", done.GetProperty("input").GetRawText().Replace(" ", ""));
        Assert.Equal("""{"n":[1,2]}""", done.GetProperty("result").GetRawText().Replace(" ", ""));
        Assert.Equal(tag, Assert.Single(done.GetProperty("tags").EnumerateArray()).GetString());
    }

    [Fact]
    public async Task The_same_request_again_is_200_without_a_body_and_a_different_one_is_the_usual_409()
    {
        var id = Unique("minimal-idem");
        var body = $$$"""{"id":"{{{id}}}","name":"once","handler":"echo","input":{"a":1}}""";
        var first = await Submit(body, "return=minimal");
        var second = await Submit(body, "return=minimal");
        var different = await Submit($$"""{"id":"{{id}}","name":"twice","handler":"echo"}""", "return=minimal");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal($"/api/tasks/{id}", first.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        AssertMinimal(second);
        Assert.Equal("", await second.Content.ReadAsStringAsync());
        var conflict = await different.AssertProblem(HttpStatusCode.Conflict);
        Assert.Contains(id, conflict.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.False(different.Headers.Contains("Preference-Applied"));

        // The stored task is the first request's, whichever way it was answered.
        var stored = await http.GetJson($"/api/tasks/{id}");
        Assert.Equal("once", stored.GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_bad_minimal_submit_is_the_usual_400_and_stores_nothing()
    {
        var id = Unique("minimal-bad");
        var response = await Submit($$"""{"id":"{{id}}","name":"x","handler":"echo","priority":11}""", "return=minimal");

        await response.AssertInvalidField("priority");
        Assert.False(response.Headers.Contains("Preference-Applied"));
        await (await http.GetAsync($"/api/tasks/{id}")).AssertProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_minimal_submit_to_a_full_queue_is_the_usual_429()
    {
        var queue = Unique("minimal-full");
        (await http.PutJson($"/api/queues/{queue}", """{"paused":true,"maxPending":1}""")).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Created, (await Submit($$"""{"name":"a","handler":"echo","queue":"{{queue}}"}""", "return=minimal")).StatusCode);

        var refusedId = Unique("refused");
        var response = await Submit($$"""{"id":"{{refusedId}}","name":"b","handler":"echo","queue":"{{queue}}"}""", "return=minimal");

        var problem = await response.AssertProblem(HttpStatusCode.TooManyRequests);
        Assert.Equal(queue, problem.GetProperty("queue").GetString());
        Assert.Single(response.Headers.GetValues("Retry-After"));
        Assert.False(response.Headers.Contains("Preference-Applied"));
        await (await http.GetAsync($"/api/tasks/{refusedId}")).AssertProblem(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("return=representation")]
    [InlineData("return=representation, return=minimal")]
    [InlineData("respond-async")]
    [InlineData("return=minimalist")]
    [InlineData(";;,,=,return")]
    public async Task Without_return_minimal_the_whole_task_comes_back(string? prefer)
    {
        var response = await Submit("""{"name":"whole","handler":"echo","input":{"b":2}}""", prefer);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.False(response.Headers.Contains("Preference-Applied"));
        var task = await response.Json();
        Assert.True(task.GetProperty("created").GetBoolean());
        Assert.Equal("whole", task.GetProperty("name").GetString());
        Assert.Equal("""{"b":2}""", task.GetProperty("input").GetRawText().Replace(" ", ""));
        Assert.Equal($"/api/tasks/{task.GetProperty("id").GetString()}", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_minimal_batch_answers_each_task_by_id_and_outcome_without_the_task_and_they_run_to_done()
    {
        var chosen = Unique("minimal-batch");
        var taken = Unique("minimal-taken");
        Assert.Equal(HttpStatusCode.Created, (await Submit($$"""{"id":"{{taken}}","name":"first","handler":"echo"}""", "return=minimal")).StatusCode);
        var body = $$$"""{"tasks":[{"name":"generated","handler":"echo","input":{"n":0}},{"id":"{{{chosen}}}","name":"chosen","handler":"echo","input":{"n":1}},{"id":"{{{taken}}}","name":"another","handler":"echo"}]}""";

        var response = await Post("/api/tasks/batch", body, "return=minimal");
        var again = await Post("/api/tasks/batch", $$$"""{"tasks":[{"id":"{{{chosen}}}","name":"chosen","handler":"echo","input":{"n":1}}]}""", "return=minimal");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertMinimal(response);
        var answer = await response.Json();
        Assert.Equal(2, answer.GetProperty("created").GetInt32());
        Assert.Equal(1, answer.GetProperty("conflicts").GetInt32());
        var results = answer.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(["created", "created", "conflict"], results.Select(r => r.GetProperty("status").GetString()));
        Assert.Equal(JsonValueKind.Null, results[0].GetProperty("task").ValueKind);
        Assert.Equal(JsonValueKind.Null, results[1].GetProperty("task").ValueKind);
        Assert.Equal(chosen, results[1].GetProperty("id").GetString());
        Assert.Equal("first", results[2].GetProperty("task").GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        AssertMinimal(again);
        var existing = Assert.Single((await again.Json()).GetProperty("results").EnumerateArray());
        Assert.Equal("existing", existing.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, existing.GetProperty("task").ValueKind);

        var generated = await http.WaitForStatus(results[0].GetProperty("id").GetString()!, "done");
        Assert.Equal("""{"n":0}""", generated.GetProperty("result").GetRawText().Replace(" ", ""));
        var done = await http.WaitForStatus(chosen, "done");
        Assert.Equal("""{"n":1}""", done.GetProperty("result").GetRawText().Replace(" ", ""));
    }

    [Fact]
    public async Task A_batch_without_return_minimal_answers_the_whole_tasks_and_a_bad_minimal_batch_is_the_usual_400()
    {
        var whole = await Post("/api/tasks/batch", """{"tasks":[{"name":"whole","handler":"echo","input":{"b":2}}]}""", "return=representation");
        var bad = await Post("/api/tasks/batch", """{"tasks":[{"name":"ok","handler":"echo"},{"name":"x","handler":"echo","priority":11}]}""", "return=minimal");

        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.False(whole.Headers.Contains("Preference-Applied"));
        var task = Assert.Single((await whole.Json()).GetProperty("results").EnumerateArray()).GetProperty("task");
        Assert.Equal("whole", task.GetProperty("name").GetString());
        Assert.Equal("""{"b":2}""", task.GetProperty("input").GetRawText().Replace(" ", ""));
        await bad.AssertInvalidField("tasks[1].priority");
        Assert.False(bad.Headers.Contains("Preference-Applied"));
    }

    private static void AssertMinimal(HttpResponseMessage response) =>
        Assert.Equal("return=minimal", Assert.Single(response.Headers.GetValues("Preference-Applied")));

    private Task<HttpResponseMessage> Submit(string json, string? prefer) => Post("/api/tasks", json, prefer);

    private Task<HttpResponseMessage> Post(string path, string json, string? prefer)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (prefer is not null)
        {
            request.Headers.TryAddWithoutValidation("Prefer", prefer);
        }

        return http.SendAsync(request);
    }
}

[Collection(ApiCollection.Name)]
public sealed class MinimalSubmitApiTestsOnMemory(ApiFixture api) : MinimalSubmitApiTests(api.Http);

[Collection(PostgresApiCollection.Name)]
public sealed class MinimalSubmitApiTestsOnPostgres(PostgresApiFixture api) : MinimalSubmitApiTests(api.Http);
