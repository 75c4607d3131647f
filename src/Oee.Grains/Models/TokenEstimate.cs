using System.Text;

namespace Oee.Grains.Models;

/// <summary>
/// The token counts of models that report none (built-in and handler models): one token per 4 UTF-8
/// bytes, rounded up (OpenAI's rule of thumb for English), so a count never exceeds the byte count
/// that <see cref="Contracts.ModelInfo.WorstCaseCost"/> assumes.
/// </summary>
internal static class TokenEstimate
{
    /// <summary>UTF-8 bytes per estimated token.</summary>
    public const int BytesPerToken = 4;

    /// <summary>The estimated tokens of <paramref name="text"/>: 0 for null or empty.</summary>
    public static int Of(string? text) =>
        string.IsNullOrEmpty(text) ? 0 : (Encoding.UTF8.GetByteCount(text) + BytesPerToken - 1) / BytesPerToken;

    /// <summary>The estimated input tokens of a prompt: its instructions and its text.</summary>
    public static int Input(ModelPrompt prompt) => Of(prompt.Instructions) + Of(prompt.Prompt);

    /// <summary>
    /// <paramref name="text"/> cut (at a character boundary) to at most <paramref name="maxTokens"/>
    /// estimated tokens, as a server stops at its output limit.
    /// </summary>
    public static string Truncate(string text, int maxTokens)
    {
        var budget = (long)maxTokens * BytesPerToken;
        if (Encoding.UTF8.GetByteCount(text) <= budget)
        {
            return text;
        }

        var bytes = 0L;
        var length = 0;
        while (length < text.Length)
        {
            var width = char.IsHighSurrogate(text[length]) && length + 1 < text.Length ? 2 : 1;
            var size = Encoding.UTF8.GetByteCount(text.AsSpan(length, width));
            if (bytes + size > budget)
            {
                break;
            }

            bytes += size;
            length += width;
        }

        return text[..length];
    }
}
