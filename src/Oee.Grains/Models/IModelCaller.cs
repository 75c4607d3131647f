namespace Oee.Grains.Models;

/// <summary>Calls a catalog model once, whatever its kind (built-in, OpenAI-compatible, handler).</summary>
internal interface IModelCaller
{
    /// <summary>
    /// Calls model <paramref name="modelId"/> with <paramref name="prompt"/>. Cancelling
    /// <paramref name="cancellationToken"/> aborts an in-flight HTTP call. Throws
    /// <see cref="ModelCallException"/> when the model fails or answers nothing usable.
    /// </summary>
    Task<ModelReply> CallAsync(string modelId, ModelPrompt prompt, CancellationToken cancellationToken);
}
