using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;
using Polly.Timeout;

namespace Oee.Grains.Models;

/// <summary>
/// Calls an OpenAI-compatible chat-completions endpoint through Microsoft.Extensions.AI's
/// <see cref="IChatClient"/> over the OpenAI client, whose transport is the model's named
/// <see cref="HttpClient"/> (timeouts and retries from its resilience pipeline; the OpenAI client's own
/// retries are off). Tokens come from the response's usage (estimated when the server reports none).
/// </summary>
internal sealed class OpenAiModelClient(IHttpClientFactory httpClients)
{
    /// <summary>
    /// How long one model's chat client (and so its factory-made <see cref="HttpClient"/>) is reused: the
    /// factory's default handler lifetime, so that connections are pooled between calls and DNS changes
    /// are still seen (measured with the <c>modelcall</c> benchmark: a client per call cost several ms).
    /// </summary>
    public static readonly TimeSpan ClientLifetime = TimeSpan.FromMinutes(2);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (IChatClient Client, long CreatedAt)> clients = new(StringComparer.Ordinal);

    /// <summary>The bearer token sent to servers configured without a key (Ollama and most local servers ignore it).</summary>
    public const string NoKey = "no-key";

    public async Task<ModelAnswer> CallAsync(ModelDefinition model, ModelPrompt prompt, int maxOutputTokens, CancellationToken cancellationToken)
    {
        var settings = model.Settings;
        var id = model.Info.Id;
        var chat = Client(model);
        List<ChatMessage> messages = [];
        if (!string.IsNullOrEmpty(prompt.Instructions))
        {
            messages.Add(new ChatMessage(ChatRole.System, prompt.Instructions));
        }

        messages.Add(new ChatMessage(ChatRole.User, prompt.Prompt));
        ChatResponse response;
        try
        {
            response = await chat.GetResponseAsync(messages, new ChatOptions { MaxOutputTokens = maxOutputTokens }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new ModelCallException(Secrets.Scrub(Reason(id, settings, ex), settings.ApiKey), IsRefusal(ex));
        }

        var output = response.Text;
        if (string.IsNullOrEmpty(output))
        {
            throw new ModelCallException($"Model '{id}' answered nothing (finish reason: {response.FinishReason?.Value ?? "none"}).");
        }

        // Whatever the server reports: the caller clamps it to what the call can have used (AnswerBounds).
        var input = response.Usage?.InputTokenCount is { } reportedIn ? (int)Math.Clamp(reportedIn, 0, int.MaxValue) : TokenEstimate.Input(prompt);
        var outputTokens = response.Usage?.OutputTokenCount is { } reportedOut ? (int)Math.Clamp(reportedOut, 0, int.MaxValue) : TokenEstimate.Of(output);
        return new ModelAnswer(output, input, outputTokens);
    }

    private IChatClient Client(ModelDefinition model)
    {
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        var cached = clients.AddOrUpdate(
            model.Info.Id,
            _ => (Create(model), now),
            (_, existing) => System.Diagnostics.Stopwatch.GetElapsedTime(existing.CreatedAt, now) < ClientLifetime ? existing : (Create(model), now));
        return cached.Client;
    }

    private IChatClient Create(ModelDefinition model)
    {
        var settings = model.Settings;
        var options = new OpenAIClientOptions
        {
            Endpoint = new Uri(settings.Endpoint!),
            Transport = new HttpClientPipelineTransport(httpClients.CreateClient(ModelHttpClients.NameOf(model.Info.Id))),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = ModelHttpClients.CallBudget(settings),
        };
        options.AddPolicy(new TokenLimitPolicy(settings.TokenLimitField), PipelinePosition.PerCall);
        var key = string.IsNullOrEmpty(settings.ApiKey) ? NoKey : settings.ApiKey;
        return new OpenAIClient(new ApiKeyCredential(key), options).GetChatClient(settings.Model).AsIChatClient();
    }

    private static string Reason(string id, Configuration.OeeModelOptions settings, Exception ex)
    {
        var retries = settings.MaxRetries == 1 ? "1 retry" : $"{settings.MaxRetries} retries";
        if (Find<TimeoutRejectedException>(ex) is not null || ex is OperationCanceledException)
        {
            return $"Model '{id}' timed out: no answer within {settings.Timeout:c} per attempt ({retries}).";
        }

        if (Find<ClientResultException>(ex) is { Status: 429 } limited)
        {
            var asked = limited.GetRawResponse()?.Headers.TryGetValue("Retry-After", out var retryAfter) == true ? $", asking to wait '{Shorten(retryAfter!)}'" : "";
            return $"Model '{id}' was rate limited: the server refused with HTTP 429 Too Many Requests (after {retries}{asked}; a retry waits at most {ModelHttpClients.MaxRetryDelay.TotalSeconds:0} s): {Shorten(limited.Message)}";
        }

        if (Find<ClientResultException>(ex) is { } failed)
        {
            return $"Model '{id}' failed: the server answered HTTP {failed.Status} (after {retries}): {Shorten(failed.Message)}";
        }

        if (Find<HttpRequestException>(ex) is { } network)
        {
            return $"Model '{id}' failed: the server at {settings.Endpoint} could not be reached (after {retries}): {Shorten(network.Message)}";
        }

        return $"Model '{id}' failed: {ex.GetType().Name}: {Shorten(ex.Message)}";
    }

    /// <summary>
    /// The server answered and refused the request (HTTP 4xx): the same request would be refused again.
    /// 408 (request timeout) and 429 (too many requests) are the exceptions: they say "later".
    /// </summary>
    private static bool IsRefusal(Exception ex) =>
        Find<ClientResultException>(ex) is { Status: >= 400 and < 500 and not 408 and not 429 };

    private static T? Find<T>(Exception? ex)
        where T : Exception
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is T found)
            {
                return found;
            }
        }

        return null;
    }

    private static string Shorten(string message)
    {
        var flat = message.ReplaceLineEndings(" ").Trim();
        return flat.Length <= 300 ? flat : flat[..300] + "…";
    }
}
