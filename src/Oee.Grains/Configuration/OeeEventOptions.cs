using Microsoft.Extensions.Options;

namespace Oee.Grains.Configuration;

/// <summary>
/// Task events and progress, bound from <c>Oee:Events</c> (silos and clients) and checked at start.
/// See README "Events, progress and webhooks".
/// </summary>
public sealed class OeeEventOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Oee:Events";

    /// <summary>Whether task grains publish events at all. Default true (off: no events, SSE streams stay silent, webhooks still fire).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How many recent events each silo keeps in memory (its ring) for its subscribers to catch up
    /// after a slow moment or a re-subscription, about 120 bytes each (taken as the ring first fills).
    /// Default 65,536; 1,024 to 16,777,216.
    /// </summary>
    public int SiloRingSize { get; set; } = 65_536;

    /// <summary>
    /// How many recent events a watching process (the API, an Orleans client) keeps for resuming by
    /// event id (SSE <c>Last-Event-ID</c>): the resume window. Default 100,000; 1,000 to 10,000,000.
    /// </summary>
    public int FeedWindow { get; set; } = 100_000;

    /// <summary>
    /// How many events one watcher may have unread before it is dropped (its stream ends; it resumes
    /// by id). Default 10,000; 100 to 1,000,000.
    /// </summary>
    public int SubscriberBuffer { get; set; } = 10_000;

    /// <summary>
    /// The shortest time between two progress reports of one attempt that are recorded: reports in
    /// between are folded into the next (the latest wins, and the last one is always recorded when the
    /// body ends). Default 1 s; 0 to 1 hour.
    /// </summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often a watching process renews its subscriptions and looks for new silos. Default 5 s; 100 ms to 5 min.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a silo keeps sending to a subscriber that stopped renewing. Default 60 s; at least three
    /// times <see cref="RefreshInterval"/>.
    /// </summary>
    public TimeSpan SubscriptionExpiry { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>Checks <see cref="OeeEventOptions"/>; each message names the setting.</summary>
internal sealed class OeeEventOptionsValidator : IValidateOptions<OeeEventOptions>
{
    public ValidateOptionsResult Validate(string? name, OeeEventOptions options)
    {
        var errors = new List<string>();
        const string S = OeeEventOptions.SectionName;
        if (options.SiloRingSize is < 1_024 or > 16_777_216)
        {
            errors.Add($"{S}:SiloRingSize must be 1024 to 16777216 (was {options.SiloRingSize}).");
        }

        if (options.FeedWindow is < 1_000 or > 10_000_000)
        {
            errors.Add($"{S}:FeedWindow must be 1000 to 10000000 (was {options.FeedWindow}).");
        }

        if (options.SubscriberBuffer is < 100 or > 1_000_000)
        {
            errors.Add($"{S}:SubscriberBuffer must be 100 to 1000000 (was {options.SubscriberBuffer}).");
        }

        if (options.ProgressInterval < TimeSpan.Zero || options.ProgressInterval > TimeSpan.FromHours(1))
        {
            errors.Add($"{S}:ProgressInterval must be 0 to 1 hour (was {options.ProgressInterval}).");
        }

        if (options.RefreshInterval < TimeSpan.FromMilliseconds(100) || options.RefreshInterval > TimeSpan.FromMinutes(5))
        {
            errors.Add($"{S}:RefreshInterval must be 100 ms to 5 minutes (was {options.RefreshInterval}).");
        }

        if (options.SubscriptionExpiry < 3 * options.RefreshInterval)
        {
            errors.Add($"{S}:SubscriptionExpiry must be at least three times {S}:RefreshInterval (was {options.SubscriptionExpiry}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
