using Oee.Grains.Contracts;

namespace Oee.Grains.Queues;

/// <summary>
/// The ranges of a queue settings change, in one place: the client facade checks them (so that a bad
/// value never leaves the caller) and the queue grain refuses them again for direct grain callers.
/// </summary>
internal static class QueueSettingsRules
{
    /// <summary>Every field error of the update (empty when it may be applied).</summary>
    public static IReadOnlyList<FieldError> Check(QueueSettingsUpdate update)
    {
        var errors = new List<FieldError>();
        if (update.MaxConcurrency is < 1)
        {
            errors.Add(new FieldError("maxConcurrency", "MaxConcurrency must be a whole number of at least 1."));
        }

        if (update.MaxPending is < 0 or > QueueLimits.MaxPending)
        {
            errors.Add(new FieldError("maxPending", $"MaxPending must be a whole number from 0 (no limit) to {QueueLimits.MaxPending}."));
        }

        if (update.StartRate is { } rate && !(rate == 0 || (double.IsFinite(rate) && rate >= QueueLimits.MinStartRate && rate <= QueueLimits.MaxStartRate)))
        {
            errors.Add(new FieldError("startRate", $"StartRate must be 0 (no limit) or from {QueueLimits.MinStartRate} to {QueueLimits.MaxStartRate} starts per second."));
        }

        if (update.StartBurst is < 0 or > QueueLimits.MaxStartBurst)
        {
            errors.Add(new FieldError("startBurst", $"StartBurst must be a whole number from 0 (the start rate rounded up) to {QueueLimits.MaxStartBurst}."));
        }

        if (update.MaxPerKey is < 0 or > QueueLimits.MaxPerKey)
        {
            errors.Add(new FieldError("maxPerKey", $"MaxPerKey must be a whole number from 0 (no limit) to {QueueLimits.MaxPerKey}."));
        }

        if (update.AgingInterval is { } aging && aging != TimeSpan.Zero && (aging < QueueLimits.MinAgingInterval || aging > QueueLimits.MaxAgingInterval))
        {
            errors.Add(new FieldError("agingInterval", $"AgingInterval must be zero (off) or from {QueueLimits.MinAgingInterval:c} to {QueueLimits.MaxAgingInterval:c}."));
        }

        if (update.CallbackUrl is { Length: > 0 } callback && Webhooks.WebhookTargets.CheckForm(callback) is { } callbackError)
        {
            errors.Add(callbackError);
        }

        if (update.CallbackEvents is { } events && !Enum.IsDefined(events))
        {
            errors.Add(new FieldError("callbackEvents", "CallbackEvents must be Final or All."));
        }

        return errors;
    }

    /// <summary>The default burst of a start rate: the rate rounded up, at least 1.</summary>
    public static int DefaultBurst(double rate) => (int)Math.Clamp(Math.Ceiling(rate), 1, QueueLimits.MaxStartBurst);
}
