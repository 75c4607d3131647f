using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Oee.Grains.Contracts;
using Oee.Grains.Time;

namespace Oee.Grains.Models;

/// <summary>
/// Calls catalog models by kind (built-in, OpenAI-compatible, handler), measures each call's latency on
/// the engine clock and prices it from the model's pricing and the tokens used. The output limit is
/// the prompt's <see cref="ModelPrompt.MaxOutputTokens"/> capped at the model's own; an answer past it fails and
/// usage past it is clamped (<see cref="AnswerBounds"/>), so a call never costs more than its worst case.
/// </summary>
internal sealed partial class ModelCaller(
    ModelCatalog catalog,
    BuiltInModelRunner builtIns,
    OpenAiModelClient openAi,
    HandlerModelRunner handlerModels,
    [FromKeyedServices(OeeClock.ServiceKey)] TimeProvider time,
    ILogger<ModelCaller> logger) : IModelCaller
{
    public async Task<ModelReply> CallAsync(string modelId, ModelPrompt prompt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var model = catalog.Definition(modelId)
            ?? throw new ModelCallException($"Model '{modelId}' is not in the catalog. Models: {string.Join(", ", catalog.Models.Select(m => m.Id))}.", isPermanent: true);
        if (prompt.Prompt is null)
        {
            throw new ModelCallException($"Model '{modelId}' needs a prompt.", isPermanent: true);
        }

        if (prompt.MaxOutputTokens is < 1)
        {
            throw new ModelCallException($"Model '{modelId}': maxOutputTokens must be at least 1 (was {prompt.MaxOutputTokens}).", isPermanent: true);
        }

        var limit = Math.Min(prompt.MaxOutputTokens ?? model.Info.MaxOutputTokens, model.Info.MaxOutputTokens);
        var started = time.GetTimestamp();
        ModelAnswer answer;
        try
        {
            var answered = model.Info.Kind switch
            {
                ModelKind.OpenAi => await openAi.CallAsync(model, prompt, limit, cancellationToken).ConfigureAwait(false),
                ModelKind.Handler => await handlerModels.CallAsync(model, prompt, limit, cancellationToken).ConfigureAwait(false),
                _ => await builtIns.CallAsync(model, prompt, limit, cancellationToken).ConfigureAwait(false),
            };
            answer = AnswerBounds.Check(modelId, prompt, limit, answered);
        }
        catch (ModelCallException ex)
        {
            LogCallFailed(logger, modelId, time.GetElapsedTime(started), ex.Message);
            throw;
        }

        var latency = time.GetElapsedTime(started);
        var cost = model.Info.Pricing.Cost(answer.InputTokens, answer.OutputTokens);
        LogCalled(logger, modelId, latency, answer.InputTokens, answer.OutputTokens, cost);
        return new ModelReply
        {
            Model = modelId,
            Output = answer.Output,
            InputTokens = answer.InputTokens,
            OutputTokens = answer.OutputTokens,
            Cost = cost,
            Latency = latency,
        };
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Model {ModelId} answered in {Latency} ({InputTokens} input and {OutputTokens} output tokens, cost {Cost})")]
    private static partial void LogCalled(ILogger logger, string modelId, TimeSpan latency, int inputTokens, int outputTokens, decimal cost);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {ModelId} call failed after {Latency}: {Reason}")]
    private static partial void LogCallFailed(ILogger logger, string modelId, TimeSpan latency, string reason);
}
