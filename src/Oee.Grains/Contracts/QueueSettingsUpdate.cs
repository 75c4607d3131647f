namespace Oee.Grains.Contracts;

/// <summary>
/// A change to a queue's settings; null members are left as they are. For the quotas
/// (<see cref="MaxPending"/>, <see cref="StartRate"/>, <see cref="MaxPerKey"/>, <see cref="AgingInterval"/>)
/// 0 turns the quota off; a queue never configured uses the silo's defaults (<c>Oee:Queues</c>).
/// </summary>
[GenerateSerializer, Alias("oee.queue-settings-update")]
public sealed record QueueSettingsUpdate
{
    /// <summary>The new concurrency limit (at least 1).</summary>
    [Id(0)] public int? MaxConcurrency { get; init; }

    /// <summary>True to hold new starts, false to resume.</summary>
    [Id(1)] public bool? Paused { get; init; }

    /// <summary>
    /// The most tasks that may wait in the queue (0–<see cref="QueueLimits.MaxPending"/>; 0: no limit).
    /// A submit that would make more wait is refused (queue full, HTTP 429) and nothing of it is stored.
    /// </summary>
    [Id(30)] public int? MaxPending { get; init; }

    /// <summary>
    /// The most task starts per second, on average (0: no limit; else <see cref="QueueLimits.MinStartRate"/>–<see cref="QueueLimits.MaxStartRate"/>):
    /// a token bucket refilled at this rate, one token per start.
    /// </summary>
    [Id(31)] public double? StartRate { get; init; }

    /// <summary>The token bucket's size: how many starts may follow each other at once (1–<see cref="QueueLimits.MaxStartBurst"/>; 0: the default, the start rate rounded up, at least 1).</summary>
    [Id(32)] public int? StartBurst { get; init; }

    /// <summary>The most running tasks with the same concurrency key (0–<see cref="QueueLimits.MaxPerKey"/>; 0: no limit). Tasks without a key are not limited by it.</summary>
    [Id(33)] public int? MaxPerKey { get; init; }

    /// <summary>
    /// Priority aging: after each full interval of waiting a task ranks one priority level higher, up to 10
    /// (<see cref="TimeSpan.Zero"/>: off; else <see cref="QueueLimits.MinAgingInterval"/>–<see cref="QueueLimits.MaxAgingInterval"/>).
    /// </summary>
    [Id(34)] public TimeSpan? AgingInterval { get; init; }

    /// <summary>
    /// The retry policy of tasks submitted to this queue without their own; a policy with
    /// <see cref="RetryOn.None"/> removes the default. Tasks keep the policy they were submitted with.
    /// </summary>
    [Id(20)] public RetryPolicy? Retry { get; init; }

    /// <summary>The attempts (1–100) of tasks submitted to this queue without their own maxAttempts.</summary>
    [Id(21)] public int? MaxAttempts { get; init; }

    /// <summary>
    /// The timeout of tasks submitted to this queue later without their own (up to 365 days);
    /// <see cref="TimeSpan.Zero"/> removes the default. Tasks keep the timeout they were submitted with.
    /// </summary>
    [Id(50)] public TimeSpan? Timeout { get; init; }

    /// <summary>
    /// The callback URL of tasks submitted to this queue later without their own
    /// (<see cref="SubmitTaskRequest.CallbackUrl"/>; a task's own URL always wins): an http or https URL
    /// whose host is among the silos' <c>Oee:Webhooks:AllowedHosts</c>; <c>""</c> removes it. Tasks keep
    /// the callback they were submitted with.
    /// </summary>
    [Id(95)] public string? CallbackUrl { get; init; }

    /// <summary>Which events the queue's <see cref="CallbackUrl"/> receives (<see cref="WebhookEvents.Final"/> until set).</summary>
    [Id(96)] public WebhookEvents? CallbackEvents { get; init; }
}
