using System.Text.Json.Serialization;

namespace Oee.Api.Models;

/// <summary>How a catalog model is called.</summary>
[JsonConverter(typeof(WireEnumConverter<ModelKindName>))]
public enum ModelKindName
{
    /// <summary>A deterministic model built into OEE (no server needed).</summary>
    [JsonStringEnumMemberName("builtin")]
    BuiltIn,

    /// <summary>An OpenAI-compatible chat-completions endpoint (OpenAI, Ollama, vLLM, llama.cpp, LM Studio).</summary>
    [JsonStringEnumMemberName("openai")]
    OpenAi,

    /// <summary>A registered task handler used as a model.</summary>
    [JsonStringEnumMemberName("handler")]
    Handler,
}

/// <summary>What one call of a model costs, in the catalog's currency unit.</summary>
/// <param name="PerCall">A fixed price per call.</param>
/// <param name="PerThousandInputTokens">The price per 1,000 input tokens.</param>
/// <param name="PerThousandOutputTokens">The price per 1,000 output tokens.</param>
public sealed record ModelPricingResponse(decimal PerCall, decimal PerThousandInputTokens, decimal PerThousandOutputTokens);

/// <summary>A model of the catalog (never its API key or endpoint credentials).</summary>
/// <param name="Id">The model's catalog id.</param>
/// <param name="Kind">How it is called.</param>
/// <param name="Capabilities">The capabilities it serves, e.g. summarize, classify, extract.</param>
/// <param name="Local">True when it runs on this machine or network; false for a remote service.</param>
/// <param name="Pricing">What a call costs.</param>
/// <param name="Quality">A quality score in [0, 1], higher is better.</param>
/// <param name="ExpectedLatency">The expected latency of one call (ISO 8601).</param>
/// <param name="MaxOutputTokens">The most output tokens one call may produce.</param>
/// <param name="Description">A description for people, or null.</param>
public sealed record ModelResponse(
    string Id,
    ModelKindName Kind,
    IReadOnlyList<string> Capabilities,
    bool Local,
    ModelPricingResponse Pricing,
    double Quality,
    string ExpectedLatency,
    int MaxOutputTokens,
    string? Description);
