namespace Oee.Grains.Webhooks;

/// <summary>A webhook's target is not allowed (<c>Oee:Webhooks</c>); never retried.</summary>
internal sealed class WebhookTargetRefusedException(string message) : Exception(message);
