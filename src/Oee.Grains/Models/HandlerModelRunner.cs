using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Oee.Grains.Handlers;
using Oee.Grains.Time;

namespace Oee.Grains.Models;

/// <summary>
/// Runs a handler model: the registered task handler runs in its own DI scope (as a task body would)
/// with the prompt's JSON as input; a JSON-string result is the output's text, any other result is
/// the output as it is. Tokens are estimated; the output is cut to the call's limit.
/// </summary>
internal sealed class HandlerModelRunner(
    TaskHandlerRegistry handlers,
    IServiceScopeFactory scopes,
    [FromKeyedServices(OeeClock.ServiceKey)] TimeProvider time)
{
    public async Task<ModelAnswer> CallAsync(ModelDefinition model, ModelPrompt prompt, int maxOutputTokens, CancellationToken cancellationToken)
    {
        var id = model.Info.Id;
        var name = model.Settings.Handler ?? string.Empty;
        await using var scope = scopes.CreateAsyncScope();
        var handler = handlers.Resolve(scope.ServiceProvider, name)
            ?? throw new ModelCallException($"Model '{id}' names handler '{name}', which is not registered on this silo.");
        var input = JsonSerializer.Serialize(prompt with { Model = id, MaxOutputTokens = maxOutputTokens }, TaskJson.Options);
        if (handler.ValidateInput(input) is { } problem)
        {
            throw new ModelCallException($"Model '{id}': handler '{name}' refused the prompt: {problem}", isPermanent: true);
        }

        var context = new TaskContext
        {
            TaskId = $"model-call:{id}:{Guid.CreateVersion7():N}",
            Name = id,
            Queue = "models",
            Attempt = 1,
            Input = input,
            CancellationToken = cancellationToken,
            Services = scope.ServiceProvider,
            Time = time,
        };

        string? result;
        try
        {
            result = await handler.ExecuteAsync(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new ModelCallException($"Model '{id}' failed: handler '{name}' threw {ex.GetType().Name}: {ex.Message}", ex);
        }

        var output = Text(result);
        if (string.IsNullOrEmpty(output))
        {
            throw new ModelCallException($"Model '{id}' answered nothing: handler '{name}' returned no text.");
        }

        output = TokenEstimate.Truncate(output, maxOutputTokens);
        return new ModelAnswer(output, TokenEstimate.Input(prompt), TokenEstimate.Of(output));
    }

    private static string? Text(string? result)
    {
        if (result is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(result);
            return document.RootElement.ValueKind switch
            {
                JsonValueKind.String => document.RootElement.GetString(),
                JsonValueKind.Null => null,
                _ => result.Trim(),
            };
        }
        catch (JsonException)
        {
            return result;
        }
    }
}
