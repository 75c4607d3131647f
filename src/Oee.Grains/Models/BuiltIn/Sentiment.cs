namespace Oee.Grains.Models.BuiltIn;

/// <summary>
/// Keyword sentiment: <c>positive</c>, <c>negative</c> or <c>neutral</c> by counting words of two small
/// lexicons; with negations, a word after <c>not</c>, <c>no</c>, <c>never</c> or a <c>n't</c> word (within
/// two words) counts for the other side.
/// </summary>
internal static class Sentiment
{
    private static readonly HashSet<string> Positive = new(StringComparer.Ordinal)
    {
        "good", "great", "excellent", "love", "loved", "like", "liked", "happy", "fast", "best", "nice", "wonderful",
        "amazing", "helpful", "reliable", "recommend", "pleased", "perfect", "works", "easy",
    };

    private static readonly HashSet<string> Negative = new(StringComparer.Ordinal)
    {
        "bad", "poor", "terrible", "awful", "hate", "hated", "slow", "worst", "broken", "angry", "disappointed",
        "useless", "fails", "failed", "bug", "bugs", "crash", "crashes", "refund", "hard",
    };

    private static readonly HashSet<string> Negations = new(StringComparer.Ordinal) { "not", "no", "never", "without" };

    /// <summary>The label of <paramref name="text"/>.</summary>
    public static string Classify(string text, bool negations)
    {
        var words = TextParts.Words(text);
        var score = 0;
        for (var i = 0; i < words.Length; i++)
        {
            var polarity = Positive.Contains(words[i]) ? 1 : Negative.Contains(words[i]) ? -1 : 0;
            if (polarity != 0 && negations && IsNegated(words, i))
            {
                polarity = -polarity;
            }

            score += polarity;
        }

        return score > 0 ? "positive" : score < 0 ? "negative" : "neutral";
    }

    private static bool IsNegated(string[] words, int index)
    {
        for (var i = Math.Max(0, index - 2); i < index; i++)
        {
            if (Negations.Contains(words[i]) || words[i].EndsWith("n't", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
