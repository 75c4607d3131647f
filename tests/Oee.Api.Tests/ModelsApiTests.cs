using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Oee.Tests.Shared;

namespace Oee.Api.Tests;

/// <summary><c>/api/models</c> and <c>model</c> tasks on the embedded default: the built-in demo catalog.</summary>
[Collection(ApiCollection.Name)]
public sealed class ModelsApiTests(ApiFixture fixture)
{
    private HttpClient Http => fixture.Http;

    [Fact]
    public async Task The_default_catalog_is_listed_by_id_with_every_field()
    {
        var models = await Http.GetFromJsonAsync<JsonElement>("/api/models");

        var ids = models.EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToArray();
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        Assert.Contains("local-summarizer", ids);
        Assert.Contains("remote-summarizer", ids);
        var remote = models.EnumerateArray().Single(m => m.GetProperty("id").GetString() == "remote-summarizer");
        Assert.Equal("builtin", remote.GetProperty("kind").GetString());
        Assert.Equal(["summarize"], remote.GetProperty("capabilities").EnumerateArray().Select(c => c.GetString()));
        Assert.False(remote.GetProperty("local").GetBoolean());
        Assert.True(remote.GetProperty("pricing").GetProperty("perCall").GetDecimal() > 0);
        Assert.True(remote.GetProperty("pricing").TryGetProperty("perThousandInputTokens", out _));
        Assert.True(remote.GetProperty("pricing").TryGetProperty("perThousandOutputTokens", out _));
        Assert.InRange(remote.GetProperty("quality").GetDouble(), 0, 1);
        Assert.Equal("PT0.4S", remote.GetProperty("expectedLatency").GetString());
        Assert.True(remote.GetProperty("maxOutputTokens").GetInt32() > 0);
        Assert.False(string.IsNullOrEmpty(remote.GetProperty("description").GetString()));
    }

    [Fact]
    public async Task One_model_by_id_and_404_for_an_unknown_one()
    {
        var model = await Http.GetFromJsonAsync<JsonElement>("/api/models/local-classifier");
        Assert.Equal("local-classifier", model.GetProperty("id").GetString());
        Assert.True(model.GetProperty("local").GetBoolean());

        var problem = await (await Http.GetAsync("/api/models/no-such-model")).AssertProblem(HttpStatusCode.NotFound);
        Assert.Contains("no-such-model", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await (await Http.GetAsync("/api/models/bad%20id")).AssertProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_model_task_runs_a_built_in_model_and_a_bad_one_is_400_naming_the_input()
    {
        var created = await (await Http.PostJson("/api/tasks", """{"name":"classify","handler":"model","input":{"model":"local-classifier","prompt":"Great product, fast and reliable."}}""")).Json();
        var done = await Http.WaitForStatus(created.GetProperty("id").GetString()!, "done");
        var result = done.GetProperty("result");
        Assert.Equal("local-classifier", result.GetProperty("model").GetString());
        Assert.Equal("positive", result.GetProperty("output").GetString());
        Assert.True(result.GetProperty("inputTokens").GetInt32() > 0);
        Assert.Equal(0m, result.GetProperty("cost").GetDecimal());

        var invalid = await Http.PostJson("/api/tasks", """{"name":"bad","handler":"model","input":{"model":"gpt-99","prompt":"x"}}""");
        var problem = await invalid.AssertProblem(HttpStatusCode.BadRequest);
        Assert.Contains("Unknown model 'gpt-99'", problem.GetProperty("errors").GetProperty("input")[0].GetString(), StringComparison.Ordinal);
    }
}

/// <summary>The API with a configured catalog: an openai model with an API key at the fake model server.</summary>
public sealed class ModelsApiFixture : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string ApiKey = "sk-api-tests-77aa11";

    public HttpClient Http { get; private set; } = null!;

    public FakeModelServer ModelServer { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        ModelServer = await FakeModelServer.StartAsync();
        UseKestrel(0);
        StartServer();
        Http = CreateClient();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await ModelServer.DisposeAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var siloPort = LoopbackPorts.Next();
        var gatewayPort = LoopbackPorts.Next();
        builder.UseSetting("Oee:Cluster:SiloPort", siloPort.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Oee:Cluster:PrimarySiloPort", siloPort.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Oee:Cluster:GatewayPort", gatewayPort.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Oee:Cluster:ClusterId", $"api-models-{Guid.NewGuid():N}");
        builder.UseSetting("Urls", "http://127.0.0.1:0");
        builder.UseSetting("Oee:Models:shouter:Kind", "openai");
        builder.UseSetting("Oee:Models:shouter:Endpoint", ModelServer.Endpoint);
        builder.UseSetting("Oee:Models:shouter:Model", "upper");
        builder.UseSetting("Oee:Models:shouter:ApiKey", ApiKey);
        builder.UseSetting("Oee:Models:shouter:Capabilities:0", "transform");
        builder.UseSetting("Oee:Models:shouter:Pricing:PerThousandOutputTokens", "4");
    }
}

public sealed class ConfiguredModelsApiTests(ModelsApiFixture fixture) : IClassFixture<ModelsApiFixture>
{
    [Fact]
    public async Task A_configured_openai_model_is_listed_without_its_key_and_answers_a_model_task()
    {
        var listed = await fixture.Http.GetStringAsync("/api/models");
        var model = Assert.Single(JsonDocument.Parse(listed).RootElement.EnumerateArray());
        Assert.Equal("shouter", model.GetProperty("id").GetString());
        Assert.Equal("openai", model.GetProperty("kind").GetString());
        Assert.DoesNotContain(ModelsApiFixture.ApiKey, listed, StringComparison.Ordinal);
        Assert.DoesNotContain(ModelsApiFixture.ApiKey, await fixture.Http.GetStringAsync("/api/models/shouter"), StringComparison.Ordinal);

        var created = await (await fixture.Http.PostJson("/api/tasks", """{"name":"shout","handler":"model","input":{"model":"shouter","prompt":"quiet please","maxOutputTokens":20}}""")).Json();
        var done = await fixture.Http.WaitForStatus(created.GetProperty("id").GetString()!, "done");

        Assert.Equal("QUIET PLEASE", done.GetProperty("result").GetProperty("output").GetString());
        Assert.Equal(3, done.GetProperty("result").GetProperty("outputTokens").GetInt32());
        Assert.Equal(0.012m, done.GetProperty("result").GetProperty("cost").GetDecimal());
        Assert.DoesNotContain(ModelsApiFixture.ApiKey, done.ToString(), StringComparison.Ordinal);
        var request = Assert.Single(fixture.ModelServer.RequestsFor("upper"));
        Assert.Equal($"Bearer {ModelsApiFixture.ApiKey}", request.Authorization);
        Assert.Equal(20, request.MaxTokens);
    }
}
