using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Oee.Grains.Configuration;
using Oee.Grains.Contracts;
using Oee.Grains.Events;
using Oee.Grains.Time;
using Polly;

namespace Oee.Grains.Webhooks;

/// <summary>
/// POSTs one event to one callback URL, signed (Standard Webhooks headers), through the
/// <c>oee-webhooks</c> HTTP client whose resilience handler retries with exponential backoff; answers
/// how the delivery went after all its tries.
/// </summary>
internal sealed class WebhookSender(
    IHttpClientFactory clients,
    IOptions<OeeWebhookOptions> options,
    [FromKeyedServices(OeeClock.ServiceKey)] TimeProvider time)
{
    /// <summary>The named HTTP client.</summary>
    public const string ClientName = "oee-webhooks";

    /// <summary>Where the retry strategy counts the tries of one delivery.</summary>
    public static readonly ResiliencePropertyKey<int> Tries = new("oee-webhook-tries");

    private byte[]? key;

    public async Task<WebhookDelivery> SendAsync(string url, TaskEvent taskEvent, CancellationToken cancellationToken)
    {
        key ??= WebhookSignature.KeyOf(options.Value.Secret) ?? throw new InvalidOperationException("Oee:Webhooks:Secret is not set.");
        var webhookId = $"{taskEvent.TaskId}.{taskEvent.Version}";
        var body = TaskEventJson.ToUtf8(taskEvent with { Id = 0 });
        var startedAt = time.GetUtcNow();
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(Tries, 1);
        int? statusCode = null;
        string? error = null;
        var tries = 1;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url);
            request.SetResilienceContext(context);
            var timestamp = startedAt.ToUnixTimeSeconds();
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Add("webhook-id", webhookId);
            request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("webhook-signature", WebhookSignature.Sign(key, webhookId, timestamp, body));
            using var response = await clients.CreateClient(ClientName).SendAsync(request, cancellationToken);
            statusCode = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
            {
                error = $"The receiver answered {statusCode} {response.ReasonPhrase}.";
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            error = Refusal(ex) ?? $"{ex.GetType().Name}: {ex.Message}";
        }
        finally
        {
            tries = context.Properties.GetValue(Tries, 1);
            ResilienceContextPool.Shared.Return(context);
        }

        return new WebhookDelivery
        {
            WebhookId = webhookId,
            EventVersion = taskEvent.Version,
            Status = taskEvent.Status,
            Attempts = tries,
            StatusCode = statusCode,
            Succeeded = error is null,
            Error = error,
            StartedAt = startedAt,
            CompletedAt = time.GetUtcNow(),
        };
    }

    /// <summary>The refusal inside an exception, when the target was not allowed.</summary>
    public static string? Refusal(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is WebhookTargetRefusedException refused)
            {
                return refused.Message;
            }
        }

        return null;
    }
}
