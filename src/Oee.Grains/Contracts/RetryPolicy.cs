namespace Oee.Grains.Contracts;

/// <summary>Which failed attempts a retry policy retries.</summary>
[GenerateSerializer, Alias("oee.retry-on")]
public enum RetryOn
{
    /// <summary>None: a failing body ends the task <see cref="OeeTaskStatus.Error"/> at once (as without a policy).</summary>
    None = 0,

    /// <summary>Every failure, a <c>TaskBodyFailedException</c> included.</summary>
    AllFailures = 1,

    /// <summary>Every failure except a <c>TaskBodyFailedException</c>, which a body throws to say the failure is permanent.</summary>
    Transient = 2,
}

/// <summary>
/// How a task's failed attempts are retried. After failed attempt <c>n</c> of a run (1 for the
/// first) the task is <see cref="OeeTaskStatus.Scheduled"/> for
/// <c>delay = min(MaxDelay, InitialDelay × Multiplier^(n−1)) × (1 − Jitter × u)</c>, with <c>u</c>
/// uniform in [0, 1), so that the delay lies in <c>(base × (1 − Jitter), base]</c> and never exceeds
/// <see cref="MaxDelay"/>; <c>Jitter = 1</c> is "full jitter". The number of attempts is the task's
/// <see cref="TaskRecord.MaxAttempts"/>. Members left null take the documented defaults.
/// </summary>
[GenerateSerializer, Alias("oee.retry-policy")]
public sealed record RetryPolicy
{
    /// <summary>The default of <see cref="InitialDelay"/>: 1 s.</summary>
    public static readonly TimeSpan DefaultInitialDelay = TimeSpan.FromSeconds(1);

    /// <summary>The default of <see cref="MaxDelay"/>: 10 minutes.</summary>
    public static readonly TimeSpan DefaultMaxDelay = TimeSpan.FromMinutes(10);

    /// <summary>The default of <see cref="Multiplier"/>: 2.</summary>
    public const double DefaultMultiplier = 2;

    /// <summary>The default of <see cref="Jitter"/>: 0.2 (up to 20 % shorter).</summary>
    public const double DefaultJitter = 0.2;

    /// <summary>Which failures are retried; <see cref="RetryOn.Transient"/> when null.</summary>
    [Id(0)] public RetryOn? RetryOn { get; init; }

    /// <summary>The delay after the first failed attempt (0 to 30 days); 1 s when null.</summary>
    [Id(1)] public TimeSpan? InitialDelay { get; init; }

    /// <summary>Each further failure multiplies the delay by this (1–100); 2 when null.</summary>
    [Id(2)] public double? Multiplier { get; init; }

    /// <summary>The cap of a delay (0 to 30 days, at least <see cref="InitialDelay"/>); 10 minutes when null.</summary>
    [Id(3)] public TimeSpan? MaxDelay { get; init; }

    /// <summary>The fraction (0–1) by which a delay is shortened at random; 0.2 when null.</summary>
    [Id(4)] public double? Jitter { get; init; }

    /// <summary>The policy with every default filled in.</summary>
    public RetryPolicy Resolved() => new()
    {
        RetryOn = RetryOn ?? Contracts.RetryOn.Transient,
        InitialDelay = InitialDelay ?? DefaultInitialDelay,
        Multiplier = Multiplier ?? DefaultMultiplier,
        MaxDelay = MaxDelay ?? (InitialDelay > DefaultMaxDelay ? InitialDelay : DefaultMaxDelay),
        Jitter = Jitter ?? DefaultJitter,
    };
}
