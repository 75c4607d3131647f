namespace Oee.Grains.Configuration;

/// <summary>
/// The model catalog, bound from <c>Oee:Models:{id}:...</c> and checked at silo start (a bad entry
/// stops the silo with a message naming <c>Oee:Models:{id}:{Field}</c>). With no entry at all, the
/// built-in demo catalog is used (see the README's "Models" section).
/// </summary>
public sealed class OeeModelCatalogOptions
{
    /// <summary>The configuration section this class binds (its <see cref="Models"/> member is <c>Oee:Models</c>).</summary>
    public const string SectionName = "Oee";

    /// <summary>The configuration path of the catalog.</summary>
    public const string ModelsPath = "Oee:Models";

    /// <summary>The models by id (<c>[A-Za-z0-9._:-]</c>, at most 128). Empty by default: the built-in demo catalog.</summary>
    public Dictionary<string, OeeModelOptions> Models { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>One model of the catalog (<c>Oee:Models:{id}</c>).</summary>
public sealed class OeeModelOptions
{
    /// <summary>How it is called: <c>builtin</c>, <c>openai</c> or <c>handler</c>. Required.</summary>
    public string? Kind { get; set; }

    /// <summary>The capabilities it serves (e.g. <c>summarize</c>, <c>classify</c>, <c>extract</c>); at least one.</summary>
    public string[] Capabilities { get; set; } = [];

    /// <summary>True when it runs on this machine or network; false (the default) for a remote service.</summary>
    public bool Local { get; set; }

    /// <summary>What a call costs. Default free.</summary>
    public OeeModelPricingOptions Pricing { get; set; } = new();

    /// <summary>A quality score in [0, 1], higher is better. Default 0.5.</summary>
    public double Quality { get; set; } = 0.5;

    /// <summary>The expected latency of one call, for planning (0 to 1 day). Default 1 second.</summary>
    public TimeSpan ExpectedLatency { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The most output tokens one call may produce (1 to 1,000,000), sent as each call's limit. Default 1024.</summary>
    public int MaxOutputTokens { get; set; } = 1024;

    /// <summary>A description for people, or null.</summary>
    public string? Description { get; set; }

    /// <summary><c>openai</c>: the base URL of the OpenAI-compatible API (e.g. <c>http://127.0.0.1:11434/v1</c> for Ollama). Required for that kind.</summary>
    public string? Endpoint { get; set; }

    /// <summary><c>openai</c>: the model name the server knows (e.g. <c>llama3.2</c>). Required for that kind.</summary>
    public string? Model { get; set; }

    /// <summary><c>openai</c>: the API key sent as a bearer token, or null for servers that need none. A secret: never logged or shown.</summary>
    public string? ApiKey { get; set; }

    /// <summary><c>openai</c>: how long one HTTP attempt may take (0.1 s to 1 day); a retry gets its own. Default 60 seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary><c>openai</c>: how many times a transient failure (HTTP 408, 429, 5xx, a network error, an attempt's timeout) is retried (0 to 10). Default 2.</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary><c>openai</c>: the first retry's delay, doubled for each next one, with jitter (0 to 1 minute). Default 1 second.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary><c>handler</c>: the registered task handler that runs the model (input: the prompt's JSON; its JSON-string or text result is the output). Required for that kind.</summary>
    public string? Handler { get; set; }

    /// <summary><c>builtin</c>: the built-in function (see the README: <c>echo</c>, <c>uppercase</c>, <c>lead-sentence</c>, <c>key-sentences</c>, <c>keyword-sentiment</c>, <c>negation-sentiment</c>, <c>regex-entities</c>). Required for that kind.</summary>
    public string? BuiltIn { get; set; }

    /// <summary><c>builtin</c>: how long a call waits on the engine clock before it answers, to simulate a model's latency (0 to 1 hour). Default 0.</summary>
    public TimeSpan SimulatedLatency { get; set; }
}

/// <summary>A model's prices (<c>Oee:Models:{id}:Pricing</c>), in whatever currency unit the operator chooses; none negative.</summary>
public sealed class OeeModelPricingOptions
{
    /// <summary>A fixed price per call. Default 0.</summary>
    public decimal PerCall { get; set; }

    /// <summary>The price per 1,000 input tokens. Default 0.</summary>
    public decimal PerThousandInputTokens { get; set; }

    /// <summary>The price per 1,000 output tokens. Default 0.</summary>
    public decimal PerThousandOutputTokens { get; set; }
}
