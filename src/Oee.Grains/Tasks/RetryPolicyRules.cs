using Oee.Grains.Contracts;

namespace Oee.Grains.Tasks;

/// <summary>The checks of a <see cref="RetryPolicy"/> (on a submit or a queue's defaults) and the form a task stores.</summary>
internal static class RetryPolicyRules
{
    /// <summary>Every field error of <paramref name="policy"/>, named <c>{prefix}.field</c>.</summary>
    public static List<FieldError> Check(RetryPolicy? policy, string prefix = "retry")
    {
        var errors = new List<FieldError>();
        if (policy is null)
        {
            return errors;
        }

        if (policy.RetryOn is { } on && !Enum.IsDefined(on))
        {
            errors.Add(new FieldError($"{prefix}.retryOn", "RetryOn must be none, all or transient."));
        }

        if (policy.InitialDelay is { } initial && (initial < TimeSpan.Zero || initial > TaskLimits.MaxRetryDelay))
        {
            errors.Add(new FieldError($"{prefix}.initialDelay", $"InitialDelay must be from 0 to {TaskLimits.MaxRetryDelay.TotalDays:0} days."));
        }

        if (policy.MaxDelay is { } max)
        {
            if (max < TimeSpan.Zero || max > TaskLimits.MaxRetryDelay)
            {
                errors.Add(new FieldError($"{prefix}.maxDelay", $"MaxDelay must be from 0 to {TaskLimits.MaxRetryDelay.TotalDays:0} days."));
            }
            else if (policy.InitialDelay is { } first && max < first)
            {
                errors.Add(new FieldError($"{prefix}.maxDelay", "MaxDelay must be at least initialDelay."));
            }
        }

        if (policy.Multiplier is { } multiplier && !(multiplier >= 1 && multiplier <= TaskLimits.MaxRetryMultiplier))
        {
            errors.Add(new FieldError($"{prefix}.multiplier", $"Multiplier must be a number from 1 to {TaskLimits.MaxRetryMultiplier:0}."));
        }

        if (policy.Jitter is { } jitter && !(jitter >= 0 && jitter <= 1))
        {
            errors.Add(new FieldError($"{prefix}.jitter", "Jitter must be a number from 0 to 1."));
        }

        return errors;
    }

    /// <summary>The field errors of a queue's new defaults.</summary>
    public static List<FieldError> CheckQueueDefaults(QueueSettingsUpdate update)
    {
        var errors = Check(update.Retry);
        if (update.MaxAttempts is < 1 or > TaskLimits.MaxAttempts)
        {
            errors.Add(new FieldError("maxAttempts", $"MaxAttempts must be a whole number from 1 to {TaskLimits.MaxAttempts}."));
        }

        if (update.Timeout is { } timeout && (timeout < TimeSpan.Zero || timeout > TaskLimits.MaxTimeout))
        {
            errors.Add(new FieldError("timeout", $"Timeout must be from 0 (no default) to {TaskLimits.MaxTimeout.TotalDays:0} days."));
        }

        return errors;
    }

    /// <summary>The form kept on a task or queue: every default filled in, or null for a policy that retries nothing.</summary>
    public static RetryPolicy? Normalize(RetryPolicy? policy) =>
        policy?.Resolved() is { RetryOn: not RetryOn.None } resolved ? resolved : null;
}
