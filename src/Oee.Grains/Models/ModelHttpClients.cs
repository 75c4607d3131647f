using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Oee.Grains.Configuration;
using Oee.Grains.Contracts;
using Oee.Grains.Time;
using Polly;

namespace Oee.Grains.Models;

/// <summary>
/// One named <see cref="HttpClient"/> per <c>openai</c> model, from <see cref="IHttpClientFactory"/>, whose
/// resilience pipeline (Microsoft.Extensions.Http.Resilience) is the model's: an outer retry of
/// transient failures (HTTP 408, 429, 5xx, network errors, an attempt's timeout) up to
/// <see cref="OeeModelOptions.MaxRetries"/> times, exponential from <see cref="OeeModelOptions.RetryDelay"/>
/// with jitter, or after the response's <c>Retry-After</c> capped at <see cref="MaxRetryDelay"/> (<see cref="RetryAfterDelay"/>),
/// and an inner timeout of <see cref="OeeModelOptions.Timeout"/> per attempt. Logged headers
/// are redacted, so the API key never reaches a log.
/// </summary>
internal static class ModelHttpClients
{
    /// <summary>The longest wait between two retries, a server's <c>Retry-After</c> included.</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    /// <summary>The HTTP client name of a model.</summary>
    public static string NameOf(string modelId) => "oee-model:" + modelId;

    /// <summary>
    /// The most a whole call may take (every attempt, the waits between them, a margin): the OpenAI
    /// client's own network timeout, set so that only the model's pipeline times calls out.
    /// </summary>
    public static TimeSpan CallBudget(OeeModelOptions settings) =>
        settings.Timeout * (settings.MaxRetries + 1) + MaxRetryDelay * settings.MaxRetries + TimeSpan.FromSeconds(10);

    /// <summary>Registers the clients of the <c>openai</c> models configured under <c>Oee:Models</c>.</summary>
    public static void Register(IServiceCollection services, IConfiguration configuration)
    {
        foreach (var entry in configuration.GetSection(OeeModelCatalogOptions.ModelsPath).GetChildren())
        {
            if (ModelKinds.Parse(entry["Kind"]) == ModelKind.OpenAi && TaskLimits.IsIdentifier(entry.Key))
            {
                Register(services, entry.Key);
            }
        }
    }

    private static void Register(IServiceCollection services, string modelId)
    {
        services.AddHttpClient(NameOf(modelId), client => client.Timeout = System.Threading.Timeout.InfiniteTimeSpan)
            .RedactLoggedHeaders(_ => true)
            .AddResilienceHandler("oee-model", (pipeline, context) =>
            {
                var catalog = context.ServiceProvider.GetRequiredService<IOptions<OeeModelCatalogOptions>>().Value;
                if (catalog.Models.TryGetValue(modelId, out var settings))
                {
                    Configure(pipeline, settings, context.ServiceProvider.GetRequiredKeyedService<TimeProvider>(OeeClock.ServiceKey));
                }
            });
    }

    private static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, OeeModelOptions settings, TimeProvider time)
    {
        if (settings.MaxRetries > 0)
        {
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = settings.MaxRetries,
                Delay = settings.RetryDelay,
                MaxDelay = MaxRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,

                // Retry-After is honoured here, capped: the built-in reading of it ignores MaxDelay.
                ShouldRetryAfterHeader = false,
                DelayGenerator = args => ValueTask.FromResult(RetryAfterDelay.Of(args.Outcome.Result, time.GetUtcNow(), MaxRetryDelay)),
            });
        }

        pipeline.AddTimeout(new HttpTimeoutStrategyOptions { Timeout = settings.Timeout });
    }
}
