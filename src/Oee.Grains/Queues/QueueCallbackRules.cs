using Oee.Grains.Contracts;
using Oee.Grains.Tasks;
using Oee.Grains.Webhooks;

namespace Oee.Grains.Queues;

/// <summary>
/// A queue's callback URL (the webhook of its tasks submitted without their own): the queue grain's
/// full check of a settings change, and how the change is applied to the stored settings.
/// </summary>
internal static class QueueCallbackRules
{
    /// <summary>
    /// Every field error of a settings change as the queue grain sees it: the ranges
    /// (<see cref="QueueSettingsRules"/>), the default retry rules, and a callback URL's target against
    /// this silo's <c>Oee:Webhooks</c> settings (which a client cannot know).
    /// </summary>
    public static List<FieldError> Check(QueueSettingsUpdate update, WebhookTargets webhooks)
    {
        var errors = QueueSettingsRules.Check(update).Concat(RetryPolicyRules.CheckQueueDefaults(update)).ToList();
        if (update.CallbackUrl is { Length: > 0 } url
            && !errors.Any(e => e.Field == "callbackUrl")
            && webhooks.Check(url) is { } targetError)
        {
            errors.Add(targetError);
        }

        return errors;
    }

    /// <summary>Takes the callback URL (<c>""</c>: none) and events of a checked change; true when either changed.</summary>
    public static bool Apply(QueueSettingsUpdate update, QueueSettingsState state)
    {
        var changed = false;
        if (update.CallbackUrl is { } url)
        {
            var next = url.Length == 0 ? null : url;
            changed |= !string.Equals(next, state.CallbackUrl, StringComparison.Ordinal);
            state.CallbackUrl = next;
        }

        if (update.CallbackEvents is { } events && events != state.CallbackEvents)
        {
            state.CallbackEvents = events;
            changed = true;
        }

        return changed;
    }
}
