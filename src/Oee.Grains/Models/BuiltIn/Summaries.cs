namespace Oee.Grains.Models.BuiltIn;

/// <summary>Extractive summaries: sentences of the text itself, never new words.</summary>
internal static class Summaries
{
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "in", "is", "it", "its",
        "of", "on", "or", "that", "the", "their", "this", "to", "was", "were", "will", "with", "which", "who", "we", "our",
    };

    /// <summary><c>lead-sentence</c>: the first sentence (the whole text, trimmed, when it has no sentence end).</summary>
    public static string LeadSentence(string text) => TextParts.Sentences(text).FirstOrDefault() ?? string.Empty;

    /// <summary>
    /// <c>key-sentences</c>: the two sentences whose words (stop words aside) occur most often in the
    /// whole text, per word of the sentence; ties go to the earlier sentence; kept in text order.
    /// </summary>
    public static string KeySentences(string text)
    {
        var sentences = TextParts.Sentences(text);
        if (sentences.Length <= 2)
        {
            return string.Join(" ", sentences);
        }

        var frequency = TextParts.Words(text)
            .Where(w => !StopWords.Contains(w))
            .GroupBy(w => w, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var chosen = sentences
            .Select((sentence, index) => (Index: index, Score: Score(sentence, frequency)))
            .OrderByDescending(s => s.Score)
            .ThenBy(s => s.Index)
            .Take(2)
            .Select(s => s.Index)
            .Order();
        return string.Join(" ", chosen.Select(i => sentences[i]));
    }

    private static double Score(string sentence, Dictionary<string, int> frequency)
    {
        var words = TextParts.Words(sentence);
        return words.Length == 0 ? 0 : words.Sum(w => frequency.GetValueOrDefault(w)) / (double)words.Length;
    }
}
