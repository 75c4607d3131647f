using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json.Nodes;

namespace Oee.Grains.Models;

/// <summary>
/// Writes a call's output limit into the request body under the field(s) the server understands: the
/// OpenAI client sends <c>max_completion_tokens</c>, which OpenAI wants, while Ollama, LM Studio and
/// older llama.cpp read only <c>max_tokens</c> (see <see cref="Configuration.OeeModelOptions.TokenLimitField"/>).
/// </summary>
internal sealed class TokenLimitPolicy(string field) : PipelinePolicy
{
    /// <summary>Both fields (the default).</summary>
    public const string Both = "both";

    /// <summary>Only <c>max_tokens</c>.</summary>
    public const string MaxTokens = "max_tokens";

    /// <summary>Only <c>max_completion_tokens</c>, as the OpenAI client sends it.</summary>
    public const string MaxCompletionTokens = "max_completion_tokens";

    /// <summary>The accepted values, for messages.</summary>
    public const string Names = "both, max_tokens, max_completion_tokens";

    /// <summary>True for an accepted value.</summary>
    public static bool IsValid(string? value) => value is Both or MaxTokens or MaxCompletionTokens;

    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        Rewrite(message);
        ProcessNext(message, pipeline, currentIndex);
    }

    public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        Rewrite(message);
        return ProcessNextAsync(message, pipeline, currentIndex);
    }

    private void Rewrite(PipelineMessage message)
    {
        if (field == MaxCompletionTokens || message.Request.Content is not { } content)
        {
            return;
        }

        using var buffer = new MemoryStream();
        content.WriteTo(buffer);
        if (JsonNode.Parse(buffer.ToArray()) is not JsonObject body || body[MaxCompletionTokens] is not { } limit)
        {
            return;
        }

        body[MaxTokens] = limit.DeepClone();
        if (field == MaxTokens)
        {
            body.Remove(MaxCompletionTokens);
        }

        message.Request.Content = BinaryContent.Create(BinaryData.FromString(body.ToJsonString()));
    }
}
