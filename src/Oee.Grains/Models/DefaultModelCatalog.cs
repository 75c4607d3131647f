using Oee.Grains.Configuration;

namespace Oee.Grains.Models;

/// <summary>
/// The catalog used when <c>Oee:Models</c> is empty: built-in deterministic models only, so that a fresh
/// <c>dotnet run --project src/Oee.Api</c> can run pipelines. Local ones are free and fast; the "remote"
/// ones (still built in) are priced, slower and of higher quality; several share a capability, so that
/// each pipeline strategy has a real choice. Each waits its expected latency on the engine clock.
/// </summary>
internal static class DefaultModelCatalog
{
    /// <summary>The entries, by id.</summary>
    public static Dictionary<string, OeeModelOptions> Entries() => new(StringComparer.Ordinal)
    {
        ["local-summarizer"] = BuiltIn("lead-sentence", "summarize", local: true, quality: 0.55, latencyMs: 50, "Fast local summary: the first sentence."),
        ["local-summarizer-plus"] = BuiltIn("key-sentences", "summarize", local: true, quality: 0.7, latencyMs: 250, "Slower local summary: the two most representative sentences."),
        ["remote-summarizer"] = BuiltIn("key-sentences", "summarize", local: false, quality: 0.9, latencyMs: 400, "Remote summary service (simulated): higher quality, priced per call and per token.", perCall: 0.002m, perThousandIn: 0.5m, perThousandOut: 1.5m),
        ["local-classifier"] = BuiltIn("keyword-sentiment", "classify", local: true, quality: 0.6, latencyMs: 30, "Fast local sentiment: positive, negative or neutral by keyword counts."),
        ["remote-classifier"] = BuiltIn("negation-sentiment", "classify", local: false, quality: 0.85, latencyMs: 300, "Remote sentiment service (simulated): understands negations; priced per call.", perCall: 0.001m, perThousandIn: 0.2m, perThousandOut: 0.2m),
        ["local-extractor"] = BuiltIn("regex-entities", "extract", local: true, quality: 0.7, latencyMs: 40, "Local entity extraction: e-mails, URLs, dates and numbers as JSON."),
        ["local-uppercase"] = BuiltIn("uppercase", "transform", local: true, quality: 1.0, latencyMs: 10, "Upper-cases the prompt (for trying pipelines)."),
    };

    private static OeeModelOptions BuiltIn(
        string function,
        string capability,
        bool local,
        double quality,
        int latencyMs,
        string description,
        decimal perCall = 0,
        decimal perThousandIn = 0,
        decimal perThousandOut = 0) => new()
        {
            Kind = "builtin",
            BuiltIn = function,
            Capabilities = [capability],
            Local = local,
            Quality = quality,
            ExpectedLatency = TimeSpan.FromMilliseconds(latencyMs),
            SimulatedLatency = TimeSpan.FromMilliseconds(latencyMs),
            MaxOutputTokens = 512,
            Description = description,
            Pricing = new OeeModelPricingOptions { PerCall = perCall, PerThousandInputTokens = perThousandIn, PerThousandOutputTokens = perThousandOut },
        };
}
