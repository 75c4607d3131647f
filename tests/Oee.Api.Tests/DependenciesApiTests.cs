using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Oee.Api.Tests;

/// <summary><c>dependsOn</c> and <c>runOnDependencyFailure</c> over HTTP: graphs in one batch, waiting tasks, 400s naming the cycle or the unknown id.</summary>
[Collection(ApiCollection.Name)]
public sealed class DependenciesApiTests(ApiFixture fixture)
{
    private HttpClient Http => fixture.Http;

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    [Fact]
    public async Task A_diamond_with_a_failing_branch_in_one_batch_runs_in_order_and_cancels_the_join()
    {
        var (a, b, c, d, e) = (Unique("a"), Unique("b"), Unique("c"), Unique("d"), Unique("e"));
        var body = $$"""
            {"tasks":[
              {"id":"{{a}}","name":"root","handler":"echo","input":1},
              {"id":"{{b}}","name":"left","handler":"echo","input":2,"dependsOn":["#0"]},
              {"id":"{{c}}","name":"right","handler":"fail","input":{"message":"right broke"},"dependsOn":["{{a}}"]},
              {"id":"{{d}}","name":"join","handler":"echo","dependsOn":["#1","#2"]},
              {"id":"{{e}}","name":"join anyway","handler":"echo","dependsOn":["{{b}}","{{c}}"],"runOnDependencyFailure":true}
            ]}
            """;

        var response = await Http.PostJson("/api/tasks/batch", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var batch = await response.Json();
        Assert.Equal(5, batch.GetProperty("created").GetInt32());
        var joinAsSubmitted = batch.GetProperty("results")[3].GetProperty("task");
        Assert.Equal([b, c], joinAsSubmitted.GetProperty("dependsOn").EnumerateArray().Select(x => x.GetString()));

        var join = await Http.WaitForStatus(d, "cancelled");
        Assert.Equal("DependencyFailed", join.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains($"'{c}' ended error", join.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        var anyway = await Http.WaitForStatus(e, "done");
        Assert.True(anyway.GetProperty("runOnDependencyFailure").GetBoolean());
        var left = await Http.WaitForStatus(b, "done");
        Assert.True(left.GetProperty("startedAt").GetDateTimeOffset() >= (await Http.WaitForStatus(a, "done")).GetProperty("completedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_task_waiting_for_a_running_one_is_listed_waiting_and_a_cancel_is_immediate()
    {
        var root = Unique("root");
        Assert.Equal(HttpStatusCode.Created, (await Http.PostJson("/api/tasks", $$$"""{"id":"{{{root}}}","name":"long","handler":"delay","input":{"ms":86400000}}""")).StatusCode);
        var waiting = await Http.PostJson("/api/tasks", $$"""{"name":"after","handler":"echo","dependsOn":["{{root}}"]}""");

        Assert.Equal(HttpStatusCode.Created, waiting.StatusCode);
        var task = await waiting.Json();
        Assert.Equal("waiting", task.GetProperty("status").GetString());
        Assert.Equal([root], task.GetProperty("pendingDependencies").EnumerateArray().Select(x => x.GetString()));
        var id = task.GetProperty("id").GetString()!;
        var listed = await Http.GetFromJsonAsync<JsonElement>("/api/tasks?status=waiting&limit=500");
        Assert.Contains(listed.GetProperty("items").EnumerateArray(), t => t.GetProperty("id").GetString() == id);
        Assert.True((await Http.GetFromJsonAsync<JsonElement>("/api/system")).GetProperty("taskCounts").GetProperty("waiting").GetInt64() >= 1);

        var cancel = await Http.PostAsync($"/api/tasks/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal("cancelled", (await cancel.Json()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Accepted, (await Http.PostAsync($"/api/tasks/{root}/cancel", null)).StatusCode);
    }

    [Fact]
    public async Task An_unknown_dependency_is_a_400_naming_it()
    {
        var missing = Unique("missing");

        var single = await Http.PostJson("/api/tasks", $$"""{"name":"x","handler":"echo","dependsOn":["{{missing}}"]}""");
        var problem = await single.AssertProblem(HttpStatusCode.BadRequest);
        Assert.Contains(missing, problem.GetProperty("errors").GetProperty("dependsOn")[0].GetString(), StringComparison.Ordinal);

        var batch = await Http.PostJson("/api/tasks/batch", $$"""{"tasks":[{"name":"x","handler":"echo"},{"name":"y","handler":"echo","dependsOn":["#0","{{missing}}"]}]}""");
        var batchProblem = await batch.AssertProblem(HttpStatusCode.BadRequest);
        Assert.Contains(missing, batchProblem.GetProperty("errors").GetProperty("tasks[1].dependsOn")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cycle_in_a_batch_is_a_400_naming_it_and_nothing_is_submitted()
    {
        var (a, b) = (Unique("a"), Unique("b"));
        var response = await Http.PostJson("/api/tasks/batch", $$"""
            {"tasks":[
              {"id":"{{a}}","name":"a","handler":"echo","dependsOn":["{{b}}"]},
              {"id":"{{b}}","name":"b","handler":"echo","dependsOn":["#0"]}
            ]}
            """);

        var problem = await response.AssertProblem(HttpStatusCode.BadRequest);
        Assert.Contains($"{a} → {b} → {a}", problem.GetProperty("errors").GetProperty("tasks[0].dependsOn")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"/api/tasks/{a}")).StatusCode);
    }

    [Theory]
    [InlineData("""{"name":"x","handler":"echo","dependsOn":["#0"]}""", "dependsOn")]
    [InlineData("""{"name":"x","handler":"echo","dependsOn":["a b"]}""", "dependsOn")]
    [InlineData("""{"name":"x","handler":"echo","dependsOn":"a"}""", "dependsOn")]
    [InlineData("""{"name":"x","handler":"echo","dependsOn":["a","a"]}""", "dependsOn")]
    [InlineData("""{"id":"me","name":"x","handler":"echo","dependsOn":["me"]}""", "dependsOn")]
    [InlineData("""{"name":"x","handler":"echo","runOnDependencyFailure":"yes"}""", "runOnDependencyFailure")]
    public async Task Bad_dependencies_are_400_naming_the_field(string body, string field) =>
        await (await Http.PostJson("/api/tasks", body)).AssertInvalidField(field);

    [Fact]
    public async Task Batch_references_outside_the_batch_are_400_naming_the_task()
    {
        var response = await Http.PostJson("/api/tasks/batch", """{"tasks":[{"name":"x","handler":"echo","dependsOn":["#5"]},{"name":"y","handler":"echo","dependsOn":["#1"]}]}""");
        var problem = await response.AssertProblem(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("tasks[0].dependsOn", out _), problem.ToString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("tasks[1].dependsOn", out _), problem.ToString());
    }
}
