using Oee.Grains.Contracts;
using Oee.Grains.Handlers;

namespace Oee.Grains.Tasks;

/// <summary>
/// The retry rules, pure: whether a failure is retried under a policy, and how long the task waits
/// before its next attempt (the formula on <see cref="RetryPolicy"/>).
/// </summary>
internal static class RetryBackoff
{
    /// <summary>The error type of a failure the body declared permanent.</summary>
    public static readonly string PermanentFailureType = typeof(TaskBodyFailedException).FullName!;

    /// <summary>True when <paramref name="policy"/> retries a failure of this type (attempts left aside).</summary>
    public static bool Retries(RetryPolicy? policy, TaskError error) => (policy?.RetryOn ?? RetryOn.None) switch
    {
        RetryOn.AllFailures => true,
        RetryOn.Transient => !string.Equals(error.Type, PermanentFailureType, StringComparison.Ordinal),
        _ => false,
    };

    /// <summary>The delay before jitter after failed attempt <paramref name="failedAttempt"/> of a run (1 for the first): <c>min(MaxDelay, InitialDelay × Multiplier^(n−1))</c>.</summary>
    public static TimeSpan BaseDelay(RetryPolicy policy, int failedAttempt)
    {
        var resolved = policy.Resolved();
        var initial = resolved.InitialDelay!.Value;
        var cap = resolved.MaxDelay!.Value;
        var ticks = initial.Ticks * Math.Pow(resolved.Multiplier!.Value, Math.Max(1, failedAttempt) - 1);
        return double.IsFinite(ticks) && ticks < cap.Ticks ? TimeSpan.FromTicks((long)ticks) : cap;
    }

    /// <summary>
    /// The delay after failed attempt <paramref name="failedAttempt"/>: <c>BaseDelay × (1 − Jitter × u)</c>,
    /// <paramref name="sample"/> being <c>u</c>, uniform in [0, 1) (clamped to it).
    /// </summary>
    public static TimeSpan Delay(RetryPolicy policy, int failedAttempt, double sample)
    {
        var baseDelay = BaseDelay(policy, failedAttempt);
        var jitter = Math.Clamp(policy.Resolved().Jitter!.Value, 0, 1);
        var u = double.IsFinite(sample) ? Math.Clamp(sample, 0, 1) : 0;
        return TimeSpan.FromTicks((long)(baseDelay.Ticks * (1 - (jitter * u))));
    }
}
