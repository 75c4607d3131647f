namespace Oee.Grains.Contracts;

/// <summary>Which of a task's events its webhook receives.</summary>
[GenerateSerializer, Alias("oee.event-webhook-events")]
public enum WebhookEvents
{
    /// <summary>Only the event that makes the task final (done, error, cancelled).</summary>
    Final = 0,

    /// <summary>Every event of the task (status changes, other changes and progress).</summary>
    All = 1,
}

/// <summary>One webhook delivery of a task's event: how it went after all its tries.</summary>
[GenerateSerializer, Immutable, Alias("oee.event-webhook-delivery")]
public sealed record WebhookDelivery
{
    /// <summary>The delivery's id, sent as the <c>webhook-id</c> header (the same on every try).</summary>
    [Id(0)] public required string WebhookId { get; init; }

    /// <summary>The version of the task that the delivered event carries.</summary>
    [Id(1)] public long EventVersion { get; init; }

    /// <summary>The task's status that the delivered event carries.</summary>
    [Id(2)] public OeeTaskStatus Status { get; init; }

    /// <summary>How many POSTs were made (the first and its retries).</summary>
    [Id(3)] public int Attempts { get; init; }

    /// <summary>The last response's HTTP status code; null when no response came (refused target, network error).</summary>
    [Id(4)] public int? StatusCode { get; init; }

    /// <summary>True when the receiver answered 2xx.</summary>
    [Id(5)] public bool Succeeded { get; init; }

    /// <summary>Why it failed, when it did (never the secret or the signature).</summary>
    [Id(6)] public string? Error { get; init; }

    /// <summary>When the first try was made.</summary>
    [Id(7)] public DateTimeOffset StartedAt { get; init; }

    /// <summary>When the last try ended.</summary>
    [Id(8)] public DateTimeOffset CompletedAt { get; init; }
}

/// <summary>The fixed limits of webhooks.</summary>
public static class WebhookLimits
{
    /// <summary>The most deliveries a task keeps (the newest).</summary>
    public const int MaxDeliveriesKept = 20;

    /// <summary>The longest callback URL.</summary>
    public const int MaxUrlLength = 2048;
}
