using Microsoft.Extensions.Options;
using Oee.Grains.Contracts;
using Oee.Grains.Queues;

namespace Oee.Grains.Configuration;

/// <summary>
/// The quotas of every queue that was not configured otherwise, bound from <c>Oee:Queues</c> and
/// checked at start. A queue's own setting (<c>PUT /api/queues/{name}</c>, <c>ConfigureQueueAsync</c>)
/// replaces the default for that queue, 0 included (0 turns a quota off).
/// </summary>
public sealed class OeeQueueOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Oee:Queues";

    /// <summary>The most tasks that may wait in a queue; a submit beyond it is refused (HTTP 429). Default 0: no limit.</summary>
    public int MaxPending { get; set; }

    /// <summary>The most task starts per second of a queue (token bucket). Default 0: no limit.</summary>
    public double StartRate { get; set; }

    /// <summary>The token bucket's size. Default 0: the start rate rounded up, at least 1.</summary>
    public int StartBurst { get; set; }

    /// <summary>The most running tasks with the same concurrency key in a queue. Default 0: no limit.</summary>
    public int MaxPerKey { get; set; }

    /// <summary>Priority aging: a waiting task ranks one level higher after each full interval, up to 10. Default zero: off.</summary>
    public TimeSpan AgingInterval { get; set; }

    /// <summary>These defaults as a settings change.</summary>
    internal QueueSettingsUpdate ToUpdate() => new()
    {
        MaxPending = MaxPending,
        StartRate = StartRate,
        StartBurst = StartBurst,
        MaxPerKey = MaxPerKey,
        AgingInterval = AgingInterval,
    };
}

/// <summary>Checks <see cref="OeeQueueOptions"/> with the same ranges as a queue's own settings.</summary>
internal sealed class OeeQueueOptionsValidator : IValidateOptions<OeeQueueOptions>
{
    public ValidateOptionsResult Validate(string? name, OeeQueueOptions options)
    {
        var errors = QueueSettingsRules.Check(options.ToUpdate());
        return errors.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(errors.Select(e => $"Oee:Queues:{char.ToUpperInvariant(e.Field[0])}{e.Field[1..]} is out of range: {e.Message}"));
    }
}
