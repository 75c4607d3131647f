namespace Oee.Grains.Contracts;

/// <summary>A change to a queue's settings; null members are left as they are.</summary>
[GenerateSerializer, Alias("oee.queue-settings-update")]
public sealed record QueueSettingsUpdate
{
    /// <summary>The new concurrency limit (at least 1).</summary>
    [Id(0)] public int? MaxConcurrency { get; init; }

    /// <summary>True to hold new starts, false to resume.</summary>
    [Id(1)] public bool? Paused { get; init; }

    /// <summary>
    /// The retry policy of tasks submitted to this queue without their own; a policy with
    /// <see cref="RetryOn.None"/> removes the default. Tasks keep the policy they were submitted with.
    /// </summary>
    [Id(20)] public RetryPolicy? Retry { get; init; }

    /// <summary>The attempts (1–100) of tasks submitted to this queue without their own maxAttempts.</summary>
    [Id(21)] public int? MaxAttempts { get; init; }
}
