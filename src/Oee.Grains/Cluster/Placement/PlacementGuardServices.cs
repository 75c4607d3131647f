using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;
using Polly;
using Polly.Registry;

namespace Oee.Grains.Cluster.Placement;

/// <summary>Puts OEE's placement pipeline in place of Orleans' own on a silo.</summary>
internal static class PlacementGuardServices
{
    /// <summary>
    /// Serves <see cref="PlacementGuardStrategy"/> under Orleans' placement pipeline name, with the timeout and
    /// retries of the silo's <see cref="SiloMessagingOptions"/>; every other name still comes from Polly's registry.
    /// </summary>
    public static void AddOeePlacementGuard(this IServiceCollection services) =>
        services.AddSingleton<ResiliencePipelineProvider<string>>(sp => new PlacementPipelineProvider(
            sp.GetRequiredService<ResiliencePipelineRegistry<string>>(),
            Build(sp.GetRequiredService<IOptions<SiloMessagingOptions>>().Value, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>())));

    /// <summary>The pipeline of one <see cref="PlacementGuardStrategy"/> set from Orleans' placement settings.</summary>
    public static ResiliencePipeline<SiloAddress> Build(SiloMessagingOptions messaging, TimeProvider time, ILoggerFactory loggers)
    {
        var options = new PlacementGuardOptions
        {
            Timeout = messaging.PlacementTimeout,
            MaxRetries = messaging.PlacementMaxRetries,
            RetryBaseDelay = messaging.PlacementRetryBaseDelay,
        };
        var logger = loggers.CreateLogger<PlacementGuardStrategy>();
        return new ResiliencePipelineBuilder<SiloAddress> { TimeProvider = time }
            .AddStrategy(_ => new PlacementGuardStrategy(options, time, logger), options)
            .Build();
    }
}
