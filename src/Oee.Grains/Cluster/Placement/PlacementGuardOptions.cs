using System.ComponentModel.DataAnnotations;
using Orleans.Configuration;
using Polly;

namespace Oee.Grains.Cluster.Placement;

/// <summary>
/// What <see cref="PlacementGuardStrategy"/> keeps of Orleans' placement pipeline: the same timeout over a whole
/// placement and its retries, and as many retries of the same transient failures (Orleans' <c>SiloMessagingOptions</c>
/// <c>PlacementTimeout</c>, <c>PlacementMaxRetries</c> and <c>PlacementRetryBaseDelay</c>).
/// </summary>
internal sealed class PlacementGuardOptions : ResilienceStrategyOptions
{
    public PlacementGuardOptions() => Name = "OeePlacementGuard";

    /// <summary>The most a placement with its retries may take (by default Orleans' own default, 30 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan Timeout { get; set; } = SiloMessagingOptions.DEFAULT_PLACEMENT_TIMEOUT;

    /// <summary>Retries after a transient failure (an <c>OrleansException</c> or a <see cref="TimeoutException"/>); 0 retries none.</summary>
    [Range(0, int.MaxValue)]
    public int MaxRetries { get; set; } = SiloMessagingOptions.DEFAULT_PLACEMENT_MAX_RETRIES;

    /// <summary>The wait before the first retry; each next one waits twice as long, give or take a quarter.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = SiloMessagingOptions.DEFAULT_PLACEMENT_RETRY_BASE_DELAY;
}
