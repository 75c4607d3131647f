using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Oee.Grains.Handlers;
using Oee.Grains.Models;
using Oee.Grains.Tests.Cluster;
using Oee.Tests.Shared;

namespace Oee.Grains.Tests.Models;

/// <summary>The caller's openai kind against the fake OpenAI-compatible server on 127.0.0.1.</summary>
public sealed class OpenAiModelCallerTests : IAsyncLifetime
{
    private const string Key = "sk-test-9f8e7d6c5b4a";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private FakeModelServer server = null!;

    public async Task InitializeAsync() => server = await FakeModelServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task Usage_from_the_response_prices_the_call_and_the_output_limit_is_sent()
    {
        var settings = ModelServices.OpenAi("m", server.Endpoint, "echo#usage");
        settings["Oee:Models:m:Pricing:PerCall"] = "0.01";
        settings["Oee:Models:m:Pricing:PerThousandInputTokens"] = "1";
        settings["Oee:Models:m:Pricing:PerThousandOutputTokens"] = "2";
        await using var services = ModelServices.Create(settings);

        var reply = await services.Caller.CallAsync("m", new ModelPrompt { Prompt = "hello world", Instructions = "be brief", MaxOutputTokens = 50 }, CancellationToken.None);

        Assert.Equal("m", reply.Model);
        Assert.Equal("hello world", reply.Output);

        // The fake's usage: ⌈8/4⌉ + ⌈11/4⌉ = 5 prompt tokens, ⌈11/4⌉ = 3 completion tokens.
        Assert.Equal(5, reply.InputTokens);
        Assert.Equal(3, reply.OutputTokens);
        Assert.Equal(0.01m + (5 * 1m + 3 * 2m) / 1000m, reply.Cost);
        Assert.True(reply.Latency > TimeSpan.Zero);

        var request = Assert.Single(server.RequestsFor("echo#usage"));
        Assert.Equal("hello world", request.Prompt);
        Assert.Equal("be brief", request.Instructions);
        Assert.Equal(50, request.MaxTokens);
        Assert.Equal(50, request.MaxTokensField);
    }

    [Theory]
    [InlineData("max_tokens", null, 7)]
    [InlineData("max_completion_tokens", 7, null)]
    public async Task The_limit_goes_in_the_field_the_server_reads(string field, int? completionField, int? tokensField)
    {
        var model = $"echo#{field}";
        var settings = ModelServices.OpenAi("m", server.Endpoint, model);
        settings["Oee:Models:m:TokenLimitField"] = field;
        await using var services = ModelServices.Create(settings);

        await services.Caller.CallAsync("m", new ModelPrompt { Prompt = "x", MaxOutputTokens = 7 }, CancellationToken.None);

        var request = Assert.Single(server.RequestsFor(model));
        Assert.Equal(tokensField, request.MaxTokensField);
        Assert.Equal(completionField ?? tokensField, request.MaxTokens);
    }

    [Fact]
    public async Task The_limit_is_the_models_own_when_the_prompt_asks_for_none_or_for_more()
    {
        await using var services = ModelServices.Create(ModelServices.OpenAi("m", server.Endpoint, "echo#limit"));

        await services.Caller.CallAsync("m", new ModelPrompt { Prompt = "a" }, CancellationToken.None);
        await services.Caller.CallAsync("m", new ModelPrompt { Prompt = "b", MaxOutputTokens = 5000 }, CancellationToken.None);

        Assert.All(server.RequestsFor("echo#limit"), r => Assert.Equal(100, r.MaxTokens));
    }

    [Fact]
    public async Task A_long_answer_stops_at_the_limit_and_is_priced_as_reported()
    {
        await using var services = ModelServices.Create(ModelServices.OpenAi("m", server.Endpoint, "long"));

        var reply = await services.Caller.CallAsync("m", new ModelPrompt { Prompt = "go on", MaxOutputTokens = 10 }, CancellationToken.None);

        Assert.True(reply.Output.Length <= 40, reply.Output);
        Assert.Equal(10, reply.OutputTokens);
    }

    [Fact]
    public async Task A_server_without_usage_gets_estimated_tokens()
    {
        await using var services = ModelServices.Create(ModelServices.OpenAi("m", server.Endpoint, "nousage"));

        var reply = await services.Caller.CallAsync("m", new ModelPrompt { Prompt = "twelve bytes" }, CancellationToken.None);

        Assert.Equal(3, reply.InputTokens);
        Assert.Equal(3, reply.OutputTokens);
    }

    [Fact]
    public async Task The_api_key_is_sent_as_bearer_and_appears_nowhere_else()
    {
        var settings = ModelServices.OpenAi("keyed", server.Endpoint, "upper", apiKey: Key);
        foreach (var (key, value) in ModelServices.OpenAi("leaky", server.Endpoint, "leak", maxRetries: 1, apiKey: Key))
        {
            settings[key] = value;
        }

        await using var services = ModelServices.Create(settings);

        var reply = await services.Caller.CallAsync("keyed", new ModelPrompt { Prompt = "shout" }, CancellationToken.None);
        Assert.Equal("SHOUT", reply.Output);
        Assert.Equal($"Bearer {Key}", Assert.Single(server.RequestsFor("upper")).Authorization);

        // The server repeats the header in its error: the caller masks it.
        var failed = await Assert.ThrowsAsync<ModelCallException>(() => services.Caller.CallAsync("leaky", new ModelPrompt { Prompt = "x" }, CancellationToken.None));
        Assert.Contains("HTTP 500", failed.Message, StringComparison.Ordinal);
        Assert.Contains(Secrets.Mask, failed.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, failed.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, server.RequestsFor("leak").Count);

        foreach (var model in services.Catalog.Models)
        {
            Assert.DoesNotContain(Key, JsonSerializer.Serialize(model, TaskJson.Options), StringComparison.Ordinal);
        }

        Assert.NotEmpty(services.Logs.Lines);
        Assert.DoesNotContain(Key, services.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_error_after_the_retries_is_a_model_call_exception_naming_the_model()
    {
        await using var services = ModelServices.Create(ModelServices.OpenAi("broken", server.Endpoint, "fail", maxRetries: 2));

        var failed = await Assert.ThrowsAsync<ModelCallException>(() => services.Caller.CallAsync("broken", new ModelPrompt { Prompt = "x" }, CancellationToken.None));

        Assert.Contains("'broken'", failed.Message, StringComparison.Ordinal);
        Assert.Contains("HTTP 500", failed.Message, StringComparison.Ordinal);
        Assert.Equal(3, server.RequestsFor("fail").Count);
    }

    [Fact]
    public async Task Transient_failures_are_retried_until_the_model_answers()
    {
        await using var services = ModelServices.Create(ModelServices.OpenAi("m", server.Endpoint, "flaky:2#a", maxRetries: 2));

        var reply = await services.Caller.CallAsync("m", new ModelPrompt { Prompt = "third time lucky" }, CancellationToken.None);

        Assert.Equal("third time lucky", reply.Output);
        Assert.Equal(3, server.RequestsFor("flaky:2#a").Count);
    }

    [Fact]
    public async Task More_transient_failures_than_retries_fail_the_call()
    {
        await using var services = ModelServices.Create(ModelServices.OpenAi("m", server.Endpoint, "flaky:3#b", maxRetries: 1));

        var failed = await Assert.ThrowsAsync<ModelCallException>(() => services.Caller.CallAsync("m", new ModelPrompt { Prompt = "x" }, CancellationToken.None));

        Assert.Contains("HTTP 503", failed.Message, StringComparison.Ordinal);
        Assert.False(failed.IsPermanent);
        Assert.Equal(2, server.RequestsFor("flaky:3#b").Count);
    }

    [Fact]
    public async Task A_429_asking_to_wait_past_the_retry_ceiling_is_retried_after_the_ceiling_and_then_fails_as_rate_limited()
    {
        // The resilience pipeline's clock: the test moves it, in steps, until the retry is sent.
        var retryClock = new FakeTimeProvider();
        await using var services = ModelServices.Create(
            ModelServices.OpenAi("m", server.Endpoint, "ratelimit:3600", maxRetries: 1, timeout: "00:10:00"),
            s => s.AddSingleton<TimeProvider>(retryClock));

        using var giveUp = new CancellationTokenSource();
        var call = services.Caller.CallAsync("m", new ModelPrompt { Prompt = "x" }, giveUp.Token);
        await server.WaitUntil(s => s.RequestsFor("ratelimit:3600").Count == 1, Deadline);

        // The clock moves only once the retry waits (Polly reports OnRetry just before its delay starts): moved earlier, on
        // a slow machine, the steps before the delay began would count as waited.
        await Waiting.Until(() => call.IsCompleted || services.Logs.Lines.Any(l => l.Contains("OnRetry", StringComparison.Ordinal)), "the retry to wait");
        var waited = TimeSpan.Zero;
        while (server.RequestsFor("ratelimit:3600").Count < 2 && waited < TimeSpan.FromMinutes(2))
        {
            retryClock.Advance(TimeSpan.FromSeconds(1));
            waited += TimeSpan.FromSeconds(1);
            await Task.Delay(20);
        }

        var requests = server.RequestsFor("ratelimit:3600").Count;
        if (requests < 2)
        {
            // Not left waiting on the fake clock: disposing the resilience pipeline waits for the calls under way.
            await giveUp.CancelAsync();
        }

        // Retried after at most the ceiling (30 s), not the hour asked; the second refusal is the call's error.
        var outcome = await Record.ExceptionAsync(() => call.WaitAsync(Deadline));
        Assert.Equal(2, requests);
        Assert.InRange(waited, TimeSpan.FromSeconds(1), ModelHttpClients.MaxRetryDelay + TimeSpan.FromSeconds(1));
        var failed = Assert.IsType<ModelCallException>(outcome);
        Assert.Contains("rate limited", failed.Message, StringComparison.Ordinal);
        Assert.Contains("HTTP 429", failed.Message, StringComparison.Ordinal);
        Assert.Contains("'3600'", failed.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("timed out", failed.Message, StringComparison.Ordinal);
        Assert.False(failed.IsPermanent);
    }

    [Fact]
    public async Task An_answer_longer_than_the_output_limit_allows_fails_for_good_saying_the_server_ignored_the_limit()
    {
        var settings = ModelServices.OpenAi("m", server.Endpoint, "huge:100000");
        settings["Oee:Models:m:Pricing:PerThousandOutputTokens"] = "1";
        await using var services = ModelServices.Create(settings);

        // 10 tokens allow at most 80 bytes; the server answered 100,000 and reported 25,000 tokens.
        var failed = await Assert.ThrowsAsync<ModelCallException>(() => services.Caller.CallAsync("m", new ModelPrompt { Prompt = "x", MaxOutputTokens = 10 }, CancellationToken.None));

        Assert.True(failed.IsPermanent);
        Assert.Contains("ignored the output limit", failed.Message, StringComparison.Ordinal);
        Assert.Contains("100,000 bytes", failed.Message, StringComparison.Ordinal);
        Assert.Contains("TokenLimitField", failed.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("usage:-5,999999", 0, 10)]
    [InlineData("usage:99999999,-3", 5 + 32, 0)]
    public async Task Usage_reported_past_what_the_call_can_use_is_clamped_and_negative_usage_counts_as_zero(string serverModel, int inputTokens, int outputTokens)
    {
        var settings = ModelServices.OpenAi("m", server.Endpoint, serverModel);
        settings["Oee:Models:m:Pricing:PerThousandInputTokens"] = "1";
        settings["Oee:Models:m:Pricing:PerThousandOutputTokens"] = "1";
        await using var services = ModelServices.Create(settings);

        // At most the prompt's bytes + 32 input tokens and the limit's output tokens: the call's worst case.
        var reply = await services.Caller.CallAsync("m", new ModelPrompt { Prompt = "hello", MaxOutputTokens = 10 }, CancellationToken.None);

        Assert.Equal(inputTokens, reply.InputTokens);
        Assert.Equal(outputTokens, reply.OutputTokens);
        Assert.Equal((inputTokens + outputTokens) / 1000m, reply.Cost);
        Assert.True(reply.Cost <= services.Catalog.Find("m")!.WorstCaseCost("hello"));
    }

    [Fact]
    public async Task A_client_error_is_not_retried()
    {
        await using var services = ModelServices.Create(ModelServices.OpenAi("m", server.Endpoint, "reject", maxRetries: 3));

        var failed = await Assert.ThrowsAsync<ModelCallException>(() => services.Caller.CallAsync("m", new ModelPrompt { Prompt = "x" }, CancellationToken.None));

        Assert.Contains("HTTP 400", failed.Message, StringComparison.Ordinal);
        Assert.True(failed.IsPermanent);
        Assert.Single(server.RequestsFor("reject"));
    }

    [Theory]
    [InlineData("reject#task", true)]
    [InlineData("fail#task", false)]
    public async Task A_model_task_fails_for_good_when_the_server_refuses_the_request_and_retryably_when_it_fails(string serverModel, bool permanent)
    {
        await using var services = ModelServices.Create(ModelServices.OpenAi("m", server.Endpoint, serverModel));
        var handler = new Oee.Grains.Handlers.BuiltIn.ModelHandler(services.Catalog, services.Caller);
        var context = new TaskContext
        {
            TaskId = "t", Name = "n", Queue = "q", Attempt = 1, Input = """{"model": "m", "prompt": "x"}""", Services = services.Provider,
        };

        var failed = await Assert.ThrowsAnyAsync<Exception>(() => handler.ExecuteAsync(context));

        // The engine's default retry policy (transient) retries every failure but a TaskBodyFailedException.
        Assert.Equal(permanent ? typeof(TaskBodyFailedException) : typeof(ModelCallException), failed.GetType());
        Assert.Contains("'m'", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_answer_is_a_model_call_exception()
    {
        await using var services = ModelServices.Create(ModelServices.OpenAi("m", server.Endpoint, "empty"));

        var failed = await Assert.ThrowsAsync<ModelCallException>(() => services.Caller.CallAsync("m", new ModelPrompt { Prompt = "x" }, CancellationToken.None));

        Assert.Contains("answered nothing", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_attempt_past_the_models_timeout_is_aborted_and_the_call_fails_as_timed_out()
    {
        await using var services = ModelServices.Create(ModelServices.OpenAi("m", server.Endpoint, "hang#timeout", timeout: "00:00:00.300"));

        var failed = await Assert.ThrowsAsync<ModelCallException>(() => services.Caller.CallAsync("m", new ModelPrompt { Prompt = "x" }, CancellationToken.None));

        Assert.Contains("timed out", failed.Message, StringComparison.Ordinal);
        Assert.Contains("00:00:00.3", failed.Message, StringComparison.Ordinal);
        await server.WaitUntil(s => s.RequestsFor("hang#timeout").Single().Aborted, Deadline);
    }

    [Fact]
    public async Task Cancelling_the_call_aborts_the_in_flight_request()
    {
        await using var services = ModelServices.Create(ModelServices.OpenAi("m", server.Endpoint, "hang#cancel"));
        using var cancel = new CancellationTokenSource();

        var call = services.Caller.CallAsync("m", new ModelPrompt { Prompt = "x" }, cancel.Token);
        await server.WaitUntil(s => s.RequestsFor("hang#cancel").Count == 1, Deadline);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        await server.WaitUntil(s => s.RequestsFor("hang#cancel").Single().Aborted, Deadline);
        Assert.Equal(1, server.AbortedRequests);
    }

    [Fact]
    public async Task An_unknown_model_is_a_model_call_exception_listing_the_catalog()
    {
        await using var services = ModelServices.Create(ModelServices.OpenAi("m", server.Endpoint, "echo"));

        var failed = await Assert.ThrowsAsync<ModelCallException>(() => services.Caller.CallAsync("nope", new ModelPrompt { Prompt = "x" }, CancellationToken.None));

        Assert.Contains("'nope'", failed.Message, StringComparison.Ordinal);
        Assert.Contains("m", failed.Message, StringComparison.Ordinal);
    }
}
