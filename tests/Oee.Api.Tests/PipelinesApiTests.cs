using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Oee.Api.Tests;

/// <summary><c>/api/pipelines</c> on the embedded default (its built-in model catalog), and <c>parentId</c> on tasks.</summary>
[Collection(ApiCollection.Name)]
public sealed class PipelinesApiTests(ApiFixture fixture)
{
    private const string Text = "OEE runs tasks on a cluster. It orders them by priority. It is great and fast.";

    private HttpClient Http => fixture.Http;

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    private async Task<JsonElement> WaitForPipeline(string id)
    {
        await Http.WaitForTask(id, t => t.GetProperty("status").GetString() is "done" or "error" or "cancelled");
        var response = await Http.GetAsync($"/api/pipelines/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Json();
    }

    [Fact]
    public async Task A_two_stage_pipeline_is_created_runs_its_stages_as_child_tasks_and_answers_its_typed_result()
    {
        var id = Unique("pipe");
        var body = $$$"""
            {"id":"{{{id}}}","name":"summarize then classify","input":"{{{Text}}}","strategy":"LOCAL_FAST_PRECISE","maxTime":"PT1M","maxCost":0.5,
             "stages":[{"name":"summary","capability":"summarize"},
                       {"name":"sentiment","capability":"classify","input":"{{stages.summary.output}} It is great and fast."}]}
            """;

        var response = await Http.PostJson("/api/pipelines", body);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/api/pipelines/{id}", response.Headers.Location!.OriginalString);
        var submitted = await response.Json();
        Assert.True(submitted.GetProperty("created").GetBoolean());
        Assert.Equal("pipeline", submitted.GetProperty("task").GetProperty("handler").GetString());

        var pipeline = await WaitForPipeline(id);
        Assert.Equal("done", pipeline.GetProperty("task").GetProperty("status").GetString());
        var result = pipeline.GetProperty("result");
        Assert.Equal("LOCAL_FAST_PRECISE", result.GetProperty("strategy").GetString());
        Assert.True(result.GetProperty("completed").GetBoolean());
        var stages = result.GetProperty("stages").EnumerateArray().ToArray();
        Assert.Equal(["summary", "sentiment"], stages.Select(s => s.GetProperty("name").GetString()));
        Assert.Equal(["local-summarizer", "local-classifier"], stages.Select(s => s.GetProperty("model").GetString()));
        Assert.Equal("OEE runs tasks on a cluster.", stages[0].GetProperty("output").GetString());
        Assert.Equal(result.GetProperty("output").GetString(), stages[1].GetProperty("output").GetString());
        Assert.StartsWith("PT", result.GetProperty("totalLatency").GetString(), StringComparison.Ordinal);

        var children = await Http.GetFromJsonAsync<JsonElement>($"/api/tasks?parentId={id}");
        var items = children.GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal(2, items.Length);
        Assert.All(items, c =>
        {
            Assert.Equal(id, c.GetProperty("parentId").GetString());
            Assert.Equal("model", c.GetProperty("handler").GetString());
        });
        var child = await Http.GetFromJsonAsync<JsonElement>($"/api/tasks/{items[0].GetProperty("id").GetString()}");
        Assert.Equal(id, child.GetProperty("parentId").GetString());
    }

    [Fact]
    public async Task An_unknown_model_is_a_400_naming_the_stage()
    {
        var response = await Http.PostJson("/api/pipelines", """
            {"name":"bad","input":"x","strategy":"QUALITY_FIRST","stages":[{"name":"a","capability":"summarize"},{"name":"b","modelId":"no-such-model"}]}
            """);

        await response.AssertInvalidField("stages[1].modelId");
    }

    [Fact]
    public async Task Cost_optimized_with_no_fitting_plan_is_a_400_naming_the_stage()
    {
        var response = await Http.PostJson("/api/pipelines", """
            {"name":"poor","input":"x","strategy":"COST_OPTIMIZED","maxCost":0.0001,"stages":[{"name":"a","capability":"summarize"},{"name":"b","modelId":"remote-classifier"}]}
            """);

        await response.AssertInvalidField("stages[1]");
    }

    [Theory]
    [InlineData("""{"name":"x","input":"x","strategy":"FASTEST","stages":[{"name":"a","capability":"summarize"}]}""", "strategy")]
    [InlineData("""{"name":"x","input":"x","strategy":"COST_OPTIMIZED","maxTime":"soon","stages":[{"name":"a","capability":"summarize"}]}""", "maxTime")]
    [InlineData("""{"name":"x","input":"x","strategy":"COST_OPTIMIZED","stages":[]}""", "stages")]
    [InlineData("""{"name":"x","input":"x","strategy":"COST_OPTIMIZED","stages":[{"name":"a","capability":"summarize","input":"{{stages.z.output}}"}]}""", "stages[0].input")]
    [InlineData("""{"name":"x","input":"x","strategy":"COST_OPTIMIZED","queue":"pipeline-stages","stages":[{"name":"a","capability":"summarize"}]}""", "queue")]
    [InlineData("""{"name":"x","input":"x","strategy":0,"stages":[{"name":"a","capability":"summarize"}]}""", "strategy")]
    [InlineData("""{"name":"x","input":"x","strategy":"COST_OPTIMIZED","stages":[{"name":"a","capability":"summarize","check":{}}]}""", "stages[0].check")]
    [InlineData("""{"name":"x","input":"x","strategy":"COST_OPTIMIZED","stages":[{"name":"a","capability":"summarize","check":{"kind":1}}]}""", "stages[0].check.kind")]
    public async Task Malformed_pipelines_are_400s_naming_the_field(string body, string field) =>
        await (await Http.PostJson("/api/pipelines", body)).AssertInvalidField(field);

    [Fact]
    public async Task An_unknown_pipeline_is_a_404_and_a_plain_task_a_409()
    {
        var plain = Unique("plain");
        Assert.Equal(HttpStatusCode.Created, (await Http.PostJson("/api/tasks", $$"""{"id":"{{plain}}","name":"plain","handler":"echo","input":1}""")).StatusCode);

        await (await Http.GetAsync($"/api/pipelines/{Unique("none")}")).AssertProblem(HttpStatusCode.NotFound);
        await (await Http.GetAsync($"/api/pipelines/{plain}")).AssertProblem(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Cancelling_a_pipeline_task_cancels_its_queued_stage_task()
    {
        // The stage queue is paused: the stage task waits there while the pipeline body waits for it.
        var stageQueue = Unique("stages");
        Assert.Equal(HttpStatusCode.OK, (await Http.PutJson($"/api/queues/{stageQueue}", """{"paused":true}""")).StatusCode);
        var id = Unique("pipe");
        var created = await Http.PostJson("/api/pipelines", $$"""
            {"id":"{{id}}","name":"held","input":"{{Text}}","strategy":"COST_OPTIMIZED","stageQueue":"{{stageQueue}}","stages":[{"name":"a","capability":"summarize"}]}
            """);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var child = await WaitForChild(id);

        Assert.Equal(HttpStatusCode.Accepted, (await Http.PostAsync($"/api/tasks/{id}/cancel", null)).StatusCode);

        await Http.WaitForStatus(id, "cancelled");
        await Http.WaitForStatus(child, "cancelled");
    }

    private async Task<string> WaitForChild(string parent)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var page = await Http.GetFromJsonAsync<JsonElement>($"/api/tasks?parentId={parent}");
            if (page.GetProperty("items").EnumerateArray().FirstOrDefault() is { ValueKind: JsonValueKind.Object } child)
            {
                return child.GetProperty("id").GetString()!;
            }

            Assert.True(DateTime.UtcNow < deadline, $"No child task of {parent} appeared.");
            await Task.Delay(50);
        }
    }
}
