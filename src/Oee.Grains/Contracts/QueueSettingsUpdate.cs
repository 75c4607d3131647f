namespace Oee.Grains.Contracts;

/// <summary>A change to a queue's settings; null members are left as they are.</summary>
[GenerateSerializer, Alias("oee.queue-settings-update")]
public sealed record QueueSettingsUpdate
{
    /// <summary>The new concurrency limit (at least 1).</summary>
    [Id(0)] public int? MaxConcurrency { get; init; }

    /// <summary>True to hold new starts, false to resume.</summary>
    [Id(1)] public bool? Paused { get; init; }
}
