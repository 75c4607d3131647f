namespace Oee.Grains.Contracts;

/// <summary>How a catalog model is called.</summary>
[GenerateSerializer, Alias("oee.model-kind")]
public enum ModelKind
{
    /// <summary>A deterministic model built into OEE (no server needed): for demos and tests.</summary>
    BuiltIn = 0,

    /// <summary>An OpenAI-compatible chat-completions endpoint (OpenAI, Ollama, vLLM, llama.cpp, LM Studio).</summary>
    OpenAi = 1,

    /// <summary>A registered task handler used as a model: the user's own code.</summary>
    Handler = 2,
}

/// <summary>What one call of a model costs, in the catalog's currency unit (whatever unit the operator chooses).</summary>
[GenerateSerializer, Immutable, Alias("oee.model-pricing")]
public sealed record ModelPricing
{
    /// <summary>A fixed price per call.</summary>
    [Id(0)] public decimal PerCall { get; init; }

    /// <summary>The price per 1,000 input (prompt) tokens.</summary>
    [Id(1)] public decimal PerThousandInputTokens { get; init; }

    /// <summary>The price per 1,000 output (completion) tokens.</summary>
    [Id(2)] public decimal PerThousandOutputTokens { get; init; }

    /// <summary>The cost of a call that used these tokens.</summary>
    public decimal Cost(int inputTokens, int outputTokens) =>
        PerCall + (PerThousandInputTokens * inputTokens + PerThousandOutputTokens * outputTokens) / 1000m;
}

/// <summary>
/// A model of the catalog as callers see it (<c>GET /api/models</c>): everything a pipeline strategy
/// plans with, never how to authenticate to it (API keys stay in the silo's configuration).
/// </summary>
[GenerateSerializer, Immutable, Alias("oee.model-info")]
public sealed record ModelInfo
{
    /// <summary>The model's catalog id (<c>[A-Za-z0-9._:-]</c>, at most 128).</summary>
    [Id(0)] public required string Id { get; init; }

    /// <summary>How it is called.</summary>
    [Id(1)] public ModelKind Kind { get; init; }

    /// <summary>The capabilities it serves, e.g. <c>summarize</c>, <c>classify</c>, <c>extract</c>.</summary>
    [Id(2)] public string[] Capabilities { get; init; } = [];

    /// <summary>True when it runs on this machine or network (preferred by LOCAL_FAST_PRECISE); false for a remote service.</summary>
    [Id(3)] public bool Local { get; init; }

    /// <summary>What a call costs.</summary>
    [Id(4)] public ModelPricing Pricing { get; init; } = new();

    /// <summary>A quality score in [0, 1], higher is better (QUALITY_FIRST, ensembles' tie-break).</summary>
    [Id(5)] public double Quality { get; init; }

    /// <summary>The expected latency of one call (LOCAL_FAST_PRECISE orders by it).</summary>
    [Id(6)] public TimeSpan ExpectedLatency { get; init; }

    /// <summary>The most output tokens one call may produce (sent as the call's limit; bounds its worst-case cost).</summary>
    [Id(7)] public int MaxOutputTokens { get; init; }

    /// <summary>A description for people, or null.</summary>
    [Id(8)] public string? Description { get; init; }

    /// <summary>
    /// The most a call with this prompt can cost: the per-call price, the prompt's UTF-8 byte count plus
    /// <see cref="PromptOverheadTokens"/> as input tokens (a token covers at least one byte), and
    /// <see cref="MaxOutputTokens"/> output tokens. Budgets start a call only when this still fits.
    /// </summary>
    public decimal WorstCaseCost(string prompt) =>
        Pricing.Cost(System.Text.Encoding.UTF8.GetByteCount(prompt) + PromptOverheadTokens, MaxOutputTokens);

    /// <summary>Tokens a chat template may add around a prompt, counted in <see cref="WorstCaseCost"/>.</summary>
    public const int PromptOverheadTokens = 32;
}
