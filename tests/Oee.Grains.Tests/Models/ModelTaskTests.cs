using System.Text.Json;
using Oee.Grains.Client;
using Oee.Grains.Contracts;
using Oee.Grains.Handlers;
using Oee.Grains.Models;
using Oee.Grains.Tests.Cluster;

namespace Oee.Grains.Tests.Models;

/// <summary>
/// The <c>model</c> handler as tasks on the shared two-silo cluster, whose catalog points at the fixture's
/// fake model server; and the catalog through the orchestrator. Runs on both storages.
/// </summary>
public abstract class ModelTaskTests(ClusterFixture fixture)
{
    private IOrchestrator Orchestrator => fixture.Orchestrator;

    [Fact]
    public async Task A_model_task_calls_the_model_and_is_done_with_the_reply()
    {
        var prompt = $"summarize me {Guid.NewGuid():N}";
        var input = JsonSerializer.Serialize(new { model = FixtureModels.Upper, prompt, maxOutputTokens = 150 });
        var submitted = await Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "model call", Handler = "model", Input = input });

        var done = await Orchestrator.ForStatus(submitted.Task.Id, OeeTaskStatus.Done);

        var reply = JsonSerializer.Deserialize<ModelReply>(done.Result!, TaskJson.Options)!;
        Assert.Equal(FixtureModels.Upper, reply.Model);
        Assert.Equal(prompt.ToUpperInvariant(), reply.Output);
        var tokens = (prompt.Length + 3) / 4;
        Assert.Equal(tokens, reply.InputTokens);
        Assert.Equal(tokens, reply.OutputTokens);
        Assert.Equal((tokens * FixtureModels.PerThousandInputTokens + tokens * FixtureModels.PerThousandOutputTokens) / 1000m, reply.Cost);

        var request = Assert.Single(fixture.ModelServer.Requests, r => r.Prompt == prompt);
        Assert.Equal(150, request.MaxTokens);
        Assert.Equal($"Bearer {FixtureModels.ApiKey}", request.Authorization);
        Assert.DoesNotContain(FixtureModels.ApiKey, done.Result, StringComparison.Ordinal);
        Assert.DoesNotContain(FixtureModels.ApiKey, done.Input, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_built_in_model_task_runs_without_a_server()
    {
        var submitted = await Orchestrator.SubmitAsync(new SubmitTaskRequest
        {
            Name = "built in", Handler = "model", Input = JsonSerializer.Serialize(new { model = FixtureModels.BuiltInUpper, prompt = "quiet" }),
        });

        var done = await Orchestrator.ForStatus(submitted.Task.Id, OeeTaskStatus.Done);

        Assert.Equal("QUIET", JsonSerializer.Deserialize<ModelReply>(done.Result!, TaskJson.Options)!.Output);
    }

    [Theory]
    [InlineData("{\"model\": \"no-such-model\", \"prompt\": \"x\"}", "Unknown model 'no-such-model'")]
    [InlineData("{\"model\": \"fake-echo\"}", "\"prompt\" is required")]
    [InlineData("{\"prompt\": \"x\"}", "\"model\" is required")]
    [InlineData("{\"model\": \"fake-echo\", \"prompt\": \"x\", \"maxOutputTokens\": 0}", "\"maxOutputTokens\" must be at least 1")]
    [InlineData("[1, 2]", "needs an input of the form")]
    public async Task A_bad_model_input_is_refused_at_submit_naming_what_to_fix(string input, string expected)
    {
        var invalid = await Assert.ThrowsAsync<OeeValidationException>(() =>
            Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "bad", Handler = "model", Input = input }));

        var error = Assert.Single(invalid.Errors);
        Assert.Equal("input", error.Field);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_model_fails_the_task_with_the_reason()
    {
        var submitted = await Orchestrator.SubmitAsync(new SubmitTaskRequest
        {
            Name = "failing model", Handler = "model", MaxAttempts = 1, Input = JsonSerializer.Serialize(new { model = FixtureModels.Fail, prompt = "x" }),
        });

        var failed = await Orchestrator.ForStatus(submitted.Task.Id, OeeTaskStatus.Error);

        Assert.Equal(typeof(ModelCallException).FullName, failed.Error!.Type);
        Assert.Contains($"'{FixtureModels.Fail}'", failed.Error.Message, StringComparison.Ordinal);
        Assert.Contains("HTTP 500", failed.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_a_running_model_task_aborts_its_http_call()
    {
        var prompt = $"hang {Guid.NewGuid():N}";
        var submitted = await Orchestrator.SubmitAsync(new SubmitTaskRequest
        {
            Name = "hanging model", Handler = "model", Input = JsonSerializer.Serialize(new { model = FixtureModels.Hang, prompt }),
        });
        await fixture.ModelServer.WaitUntil(s => s.Requests.Any(r => r.Prompt == prompt), TimeSpan.FromSeconds(Waiting.TaskSeconds));

        await Orchestrator.CancelAsync(submitted.Task.Id);

        await Orchestrator.ForStatus(submitted.Task.Id, OeeTaskStatus.Cancelled);
        await fixture.ModelServer.WaitUntil(s => s.Requests.Single(r => r.Prompt == prompt).Aborted, TimeSpan.FromSeconds(Waiting.TaskSeconds));
    }

    [Fact]
    public async Task The_catalog_is_listed_without_keys_and_an_unknown_id_is_null()
    {
        var models = await Orchestrator.ListModelsAsync();

        Assert.Equal(
            new[] { FixtureModels.BuiltInUpper, FixtureModels.Echo, FixtureModels.Fail, FixtureModels.Hang, FixtureModels.Upper }.Order(StringComparer.Ordinal),
            models.Select(m => m.Id));
        var upper = await Orchestrator.GetModelAsync(FixtureModels.Upper);
        Assert.NotNull(upper);
        Assert.Equal(ModelKind.OpenAi, upper.Kind);
        Assert.False(upper.Local);
        Assert.Equal(["summarize"], upper.Capabilities);
        Assert.Equal(200, upper.MaxOutputTokens);
        Assert.Equal(FixtureModels.PerThousandOutputTokens, upper.Pricing.PerThousandOutputTokens);
        Assert.DoesNotContain(FixtureModels.ApiKey, JsonSerializer.Serialize(models, TaskJson.Options), StringComparison.Ordinal);
        Assert.Null(await Orchestrator.GetModelAsync("no-such-model"));
        Assert.Null(await Orchestrator.GetModelAsync("not an id!"));
    }
}

[Collection(MemoryClusterCollection.Name)]
public sealed class ModelTaskTestsOnMemory(MemoryClusterFixture fixture) : ModelTaskTests(fixture);

[Collection(PostgresClusterCollection.Name)]
public sealed class ModelTaskTestsOnPostgres(PostgresClusterFixture fixture) : ModelTaskTests(fixture);
