using Microsoft.Extensions.DependencyInjection;
using Oee.Grains.Handlers;
using Oee.Grains.Models;

namespace Oee.Grains.Tests.Models;

/// <summary>Handler models: a registered task handler answers the prompt.</summary>
public sealed class HandlerModelTests
{
    [Fact]
    public async Task A_json_string_result_is_the_output_and_tokens_are_estimated()
    {
        await using var services = Create("reverse", ReverseHandler.Name);

        var reply = await services.Caller.CallAsync("reverse", new ModelPrompt { Prompt = "abc def" }, CancellationToken.None);

        Assert.Equal("fed cba", reply.Output);
        Assert.Equal(2, reply.InputTokens);
        Assert.Equal(2, reply.OutputTokens);
        Assert.Equal(0.001m, reply.Cost);
    }

    [Fact]
    public async Task The_handler_gets_the_prompt_json_with_the_model_and_the_limit()
    {
        await using var services = Create("seen", PromptEchoHandler.Name);

        var reply = await services.Caller.CallAsync("seen", new ModelPrompt { Prompt = "p", Instructions = "i", MaxOutputTokens = 30 }, CancellationToken.None);

        Assert.Equal("{\"model\":\"seen\",\"prompt\":\"p\",\"instructions\":\"i\",\"maxOutputTokens\":30}", reply.Output);
    }

    [Fact]
    public async Task A_failing_handler_is_a_model_call_exception_naming_model_and_handler()
    {
        await using var services = Create("broken", "fail");

        var failed = await Assert.ThrowsAsync<ModelCallException>(() => services.Caller.CallAsync("broken", new ModelPrompt { Prompt = "x" }, CancellationToken.None));

        Assert.Contains("'broken'", failed.Message, StringComparison.Ordinal);
        Assert.Contains("'fail'", failed.Message, StringComparison.Ordinal);
    }

    private static ModelServices Create(string id, string handler) => ModelServices.Create(
        new Dictionary<string, string?>
        {
            [$"Oee:Models:{id}:Kind"] = "handler",
            [$"Oee:Models:{id}:Handler"] = handler,
            [$"Oee:Models:{id}:Capabilities:0"] = "test",
            [$"Oee:Models:{id}:Pricing:PerCall"] = "0.001",
        },
        services =>
        {
            services.AddTaskHandler<ReverseHandler>(ReverseHandler.Name);
            services.AddTaskHandler<PromptEchoHandler>(PromptEchoHandler.Name);
            services.AddTaskHandler<Oee.Grains.Handlers.BuiltIn.FailHandler>("fail");
        });

    /// <summary>A user's model: the prompt reversed, as a JSON string.</summary>
    private sealed class ReverseHandler : TaskHandler<ModelPrompt, string>
    {
        public const string Name = "test-reverse";

        protected override Task<string> HandleAsync(ModelPrompt input, TaskContext context) =>
            Task.FromResult(new string([.. input.Prompt.Reverse()]));
    }

    /// <summary>Answers its input, a JSON object (not a string): the output is that JSON text.</summary>
    private sealed class PromptEchoHandler : ITaskHandler
    {
        public const string Name = "test-prompt-echo";

        public Task<string?> ExecuteAsync(TaskContext context) => Task.FromResult(context.Input);
    }
}
