using System.Text.RegularExpressions;

namespace Oee.Grains.Models.BuiltIn;

/// <summary>Sentences and words of a text, as the built-in models see them.</summary>
internal static partial class TextParts
{
    /// <summary>The sentences: runs of text ending with <c>.</c>, <c>!</c> or <c>?</c> (or the end), trimmed, empty ones dropped.</summary>
    public static string[] Sentences(string text) =>
        [.. SentenceRegex().Matches(text).Select(m => m.Value.Trim()).Where(s => s.Length > 0)];

    /// <summary>The words, lower-cased (letters, digits and apostrophes).</summary>
    public static string[] Words(string text) =>
        [.. WordRegex().Matches(text).Select(m => m.Value.ToLowerInvariant())];

    [GeneratedRegex(@"[^.!?]+(?:[.!?]+|$)", RegexOptions.CultureInvariant)]
    private static partial Regex SentenceRegex();

    [GeneratedRegex(@"[\p{L}\p{N}']+", RegexOptions.CultureInvariant)]
    private static partial Regex WordRegex();
}
