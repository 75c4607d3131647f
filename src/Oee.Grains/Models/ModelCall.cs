namespace Oee.Grains.Models;

/// <summary>
/// The input of one model call, and of the built-in <c>model</c> task handler (JSON <c>{"model": "...", "prompt": "..."}</c>).
/// </summary>
public sealed record ModelPrompt
{
    /// <summary>The model's catalog id (only the <c>model</c> handler's input needs it).</summary>
    public string? Model { get; init; }

    /// <summary>The user prompt.</summary>
    public required string Prompt { get; init; }

    /// <summary>Optional system instructions.</summary>
    public string? Instructions { get; init; }

    /// <summary>Fewer output tokens than the model's own limit, or null for that limit.</summary>
    public int? MaxOutputTokens { get; init; }
}

/// <summary>The outcome of one model call, and the result of the <c>model</c> task handler.</summary>
public sealed record ModelReply
{
    /// <summary>The model that answered.</summary>
    public required string Model { get; init; }

    /// <summary>The text it answered.</summary>
    public required string Output { get; init; }

    /// <summary>Input tokens used (from the response's usage; estimated for models that report none).</summary>
    public int InputTokens { get; init; }

    /// <summary>Output tokens used.</summary>
    public int OutputTokens { get; init; }

    /// <summary>What the call cost, from its pricing and the tokens used.</summary>
    public decimal Cost { get; init; }

    /// <summary>How long the call took, measured on the engine clock.</summary>
    public TimeSpan Latency { get; init; }
}

/// <summary>A model call that failed (the server's error, a timeout, an empty answer); the message says which model and why.</summary>
public sealed class ModelCallException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ModelCallException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a cause.</summary>
    public ModelCallException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception, saying whether calling again could succeed.</summary>
    public ModelCallException(string message, bool isPermanent)
        : base(message)
    {
        IsPermanent = isPermanent;
    }

    /// <summary>
    /// True when calling again with the same prompt cannot succeed: the server refused the request
    /// (HTTP 4xx other than 408 and 429: bad request, unknown model, wrong key), or the prompt itself is
    /// unusable. A <c>model</c> task fails such a call for good instead of retrying it.
    /// </summary>
    public bool IsPermanent { get; }
}
