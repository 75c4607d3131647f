using System.Globalization;
using System.Text;
using Oee.Grains.Contracts;

namespace Oee.Grains.Models;

/// <summary>
/// What a model call may bring back, whatever the server says. A server that ignores the output limit (one that reads
/// neither limit field, see <see cref="Configuration.OeeModelOptions.TokenLimitField"/>) could answer any amount of text
/// and report any usage: the cost would pass a pipeline's maxCost by as much, and the text be stored in the stage task,
/// its result and the pipeline's result. So an answer longer than its limit allows fails the call for good, and usage
/// past what the call can have used is clamped to it, which keeps a call's cost within its worst case
/// (<see cref="ModelInfo.WorstCaseCost"/>).
/// </summary>
internal static class AnswerBounds
{
    /// <summary>
    /// The most UTF-8 bytes one output token may take: twice the estimate's <see cref="TokenEstimate.BytesPerToken"/>,
    /// generous enough for an honest answer (code, text in other scripts) that stops at its limit, while one that ran
    /// past it by more than twice is caught. Pipelines bound a stage's output by it at submit.
    /// </summary>
    public const int MaxBytesPerToken = 2 * TokenEstimate.BytesPerToken;

    /// <summary>The most UTF-8 bytes an answer limited to <paramref name="maxOutputTokens"/> tokens may have.</summary>
    public static long MaxOutputBytes(int maxOutputTokens) => (long)Math.Max(maxOutputTokens, 0) * MaxBytesPerToken;

    /// <summary>The most input tokens a prompt can be: its and its instructions' UTF-8 bytes (a token covers at least one) and the chat overhead.</summary>
    public static long MaxInputTokens(ModelPrompt prompt) => MaxInputTokens(prompt.Prompt, prompt.Instructions);

    /// <summary>As <see cref="MaxInputTokens(ModelPrompt)"/>, for a prompt and its instructions not yet made a <see cref="ModelPrompt"/> (a pipeline's budget check).</summary>
    public static long MaxInputTokens(string prompt, string? instructions) =>
        (long)Encoding.UTF8.GetByteCount(prompt) + Encoding.UTF8.GetByteCount(instructions ?? "") + ModelInfo.PromptOverheadTokens;

    /// <summary>
    /// The answer with its usage clamped to what the call can have used (negative counts as 0); throws a permanent
    /// <see cref="ModelCallException"/> when its text is longer than <paramref name="maxOutputTokens"/> tokens allow.
    /// </summary>
    public static ModelAnswer Check(string modelId, ModelPrompt prompt, int maxOutputTokens, ModelAnswer answer)
    {
        var bytes = Encoding.UTF8.GetByteCount(answer.Output);
        if (bytes > MaxOutputBytes(maxOutputTokens))
        {
            throw new ModelCallException(
                string.Create(CultureInfo.InvariantCulture, $"Model '{modelId}' ignored the output limit: it answered {bytes:N0} bytes, while {maxOutputTokens} tokens allow at most {MaxOutputBytes(maxOutputTokens):N0} ({MaxBytesPerToken} bytes a token). Check the model's TokenLimitField: the server may read another limit field."),
                isPermanent: true);
        }

        return answer with
        {
            InputTokens = (int)Math.Clamp(answer.InputTokens, 0, Math.Min(MaxInputTokens(prompt), int.MaxValue)),
            OutputTokens = Math.Clamp(answer.OutputTokens, 0, maxOutputTokens),
        };
    }
}
