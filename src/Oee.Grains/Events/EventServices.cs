using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Oee.Grains.Client;
using Oee.Grains.Configuration;
using Oee.Grains.Webhooks;
using Polly;

namespace Oee.Grains.Events;

/// <summary>The services of events, progress and webhooks; each call is safe to repeat.</summary>
internal static class EventServices
{
    /// <summary>What any process that watches events needs (silo hosts and clients): the feed.</summary>
    public static IServiceCollection AddOeeEventFeed(this IServiceCollection services)
    {
        services.AddOptions<OeeEventOptions>();
        services.TryAddSingleton<TaskEventFeed>();
        services.TryAddSingleton<ITaskEventSource>(sp => sp.GetRequiredService<TaskEventFeed>());
        return services;
    }

    /// <summary>A silo's part: the ring the task grains publish to, its pump, and webhook delivery.</summary>
    public static IServiceCollection AddOeeEventsOnSilo(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(SiloEventRing)))
        {
            return services;
        }

        services.AddValidatedOptions<OeeEventOptions, OeeEventOptionsValidator>(configuration, OeeEventOptions.SectionName);
        services.AddValidatedOptions<OeeWebhookOptions, OeeWebhookOptionsValidator>(configuration, OeeWebhookOptions.SectionName);
        services.AddSingleton<SiloEventRing>();
        services.AddSingleton<SiloEventPump>();
        services.AddSingleton<TaskEventPublisher>();
        services.AddSingleton<WebhookTargets>();
        services.AddSingleton<WebhookConnector>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<WebhookDispatcher>();
        services.AddOeeEventFeed();
        services.AddHttpClient(WebhookSender.ClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                ConnectCallback = sp.GetRequiredService<WebhookConnector>().ConnectAsync,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                UseProxy = false,
            })
            .AddResilienceHandler("oee-webhook-retry", (pipeline, context) =>
            {
                var settings = context.ServiceProvider.GetRequiredService<IOptions<OeeWebhookOptions>>().Value;
                if (settings.MaxRetries > 0)
                {
                    pipeline.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = settings.MaxRetries,
                        Delay = settings.FirstRetryDelay,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        ShouldRetryAfterHeader = false,
                        ShouldHandle = args => ValueTask.FromResult(
                            args.Outcome.Exception is not { } ex || WebhookSender.Refusal(ex) is null
                                ? HttpClientResiliencePredicates.IsTransient(args.Outcome)
                                : false),
                        OnRetry = args =>
                        {
                            args.Context.Properties.Set(WebhookSender.Tries, args.AttemptNumber + 2);
                            return ValueTask.CompletedTask;
                        },
                    });
                }

                pipeline.AddTimeout(settings.AttemptTimeout);
            });
        return services;
    }
}
