using System.Text.Json;
using Oee.Grains.Models;

namespace Oee.Grains.Handlers.BuiltIn;

/// <summary>
/// <c>model</c>: calls one catalog model. Input <c>{"model": "id", "prompt": "...", "instructions"?: "...",
/// "maxOutputTokens"?: n}</c> (checked at submit: a known model, a prompt, n at least 1; n above the
/// model's limit is capped to it). The result is the <see cref="ModelReply"/>: model, output, tokens,
/// cost and latency. A failed call fails the task with the reason: type <see cref="ModelCallException"/>
/// when calling again could succeed (timeouts, HTTP 408/429/5xx, network errors: retried by the task's
/// retry policy), <see cref="TaskBodyFailedException"/> when the server refused the request (other HTTP
/// 4xx) or the prompt is unusable (<see cref="ModelCallException.IsPermanent"/>: not retried).
/// </summary>
internal sealed class ModelHandler(IModelCatalog catalog, IModelCaller caller) : ITaskHandler
{
    /// <summary>The registered name.</summary>
    public const string Name = "model";

    private const string Shape = "{\"model\": \"id\", \"prompt\": \"...\", \"instructions\"?: \"...\", \"maxOutputTokens\"?: n}";

    /// <inheritdoc />
    public async Task<string?> ExecuteAsync(TaskContext context)
    {
        var prompt = Read(context.Input, out var problem);
        if (problem is not null)
        {
            throw new TaskBodyFailedException(problem);
        }

        ModelReply reply;
        try
        {
            reply = await caller.CallAsync(prompt!.Model!, prompt, context.CancellationToken).ConfigureAwait(false);
        }
        catch (ModelCallException refused) when (refused.IsPermanent)
        {
            // The same call would be refused again: the task fails for good instead of spending its retries.
            throw new TaskBodyFailedException(refused.Message, refused);
        }

        return JsonSerializer.Serialize(reply, TaskJson.Options);
    }

    /// <inheritdoc />
    public string? ValidateInput(string? input)
    {
        Read(input, out var problem);
        return problem;
    }

    private ModelPrompt? Read(string? input, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(input))
        {
            problem = $"this handler needs an input of the form {Shape}.";
            return null;
        }

        ModelPrompt? prompt;
        try
        {
            using var document = JsonDocument.Parse(input);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                problem = $"this handler needs an input of the form {Shape}.";
                return null;
            }

            if (!HasProperty(document.RootElement, "prompt"))
            {
                problem = "\"prompt\" is required: the text to send to the model.";
                return null;
            }

            prompt = document.RootElement.Deserialize<ModelPrompt>(TaskJson.Options);
        }
        catch (JsonException ex)
        {
            problem = $"this handler needs an input of the form {Shape}: {ex.Message}";
            return null;
        }

        if (prompt is null || prompt.Prompt is null)
        {
            problem = "\"prompt\" is required: the text to send to the model.";
        }
        else if (string.IsNullOrEmpty(prompt.Model))
        {
            problem = $"\"model\" is required: one of {string.Join(", ", catalog.Models.Select(m => m.Id))}.";
        }
        else if (catalog.Find(prompt.Model) is null)
        {
            problem = $"Unknown model '{prompt.Model}'. Models: {string.Join(", ", catalog.Models.Select(m => m.Id))}.";
        }
        else if (prompt.MaxOutputTokens is < 1)
        {
            problem = $"\"maxOutputTokens\" must be at least 1 (was {prompt.MaxOutputTokens}).";
        }

        return problem is null ? prompt : null;
    }

    private static bool HasProperty(JsonElement element, string name) =>
        element.EnumerateObject().Any(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
}
