namespace Oee.Grains.Models.BuiltIn;

/// <summary>
/// The deterministic built-in models: each is a pure function of the prompt's text (instructions are
/// ignored), so that demos and tests run without a model server and always answer the same.
/// </summary>
internal static class BuiltInModels
{
    /// <summary>The functions by name (<c>Oee:Models:{id}:BuiltIn</c>).</summary>
    public static IReadOnlyDictionary<string, Func<string, string>> Functions { get; } = new Dictionary<string, Func<string, string>>(StringComparer.Ordinal)
    {
        ["echo"] = text => text,
        ["uppercase"] = text => text.ToUpperInvariant(),
        ["lead-sentence"] = Summaries.LeadSentence,
        ["key-sentences"] = Summaries.KeySentences,
        ["keyword-sentiment"] = text => Sentiment.Classify(text, negations: false),
        ["negation-sentiment"] = text => Sentiment.Classify(text, negations: true),
        ["regex-entities"] = Entities.Extract,
    };

    /// <summary>The names, sorted, for messages.</summary>
    public static string Names { get; } = string.Join(", ", Functions.Keys.Order(StringComparer.Ordinal));
}
