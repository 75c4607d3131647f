using Oee.Grains.Contracts;

namespace Oee.Grains.Storage.Memory;

/// <summary>
/// The fields of a <see cref="TaskRecord"/> that a plain task (no retry policy, delay, dependency,
/// timeout, progress, webhook, submitter, tenant, key, parent or trace) leaves at their defaults,
/// held apart so that such a task in a <see cref="ShardRecord"/> costs nothing for them.
/// </summary>
internal sealed class ShardRecordExtras
{
    public TimeSpan? Timeout { get; private init; }

    public string[] DependsOn { get; private init; } = [];

    public bool RunOnDependencyFailure { get; private init; }

    public string[] PendingDependencies { get; private init; } = [];

    public string[] Dependents { get; private init; } = [];

    public string? ConcurrencyKey { get; private init; }

    public DateTimeOffset? NextRunAt { get; private init; }

    public bool DeadLettered { get; private init; }

    public RetryPolicy? Retry { get; private init; }

    public int AttemptsBeforeRetry { get; private init; }

    public TaskProgress? Progress { get; private init; }

    public string? CallbackUrl { get; private init; }

    public WebhookEvents CallbackEvents { get; private init; }

    public WebhookDelivery[] WebhookDeliveries { get; private init; } = [];

    public string? SubmittedBy { get; private init; }

    public string? Tenant { get; private init; }

    public string? ParentId { get; private init; }

    public string? TraceParent { get; private init; }

    /// <summary>The record's rarely set fields (keys, submitter and tenant through <paramref name="share"/>), or null when all are at their defaults.</summary>
    public static ShardRecordExtras? Of(TaskRecord record, Func<string?, string?> share)
    {
        if (IsPlain(record))
        {
            return null;
        }

        return new ShardRecordExtras
        {
            Timeout = record.Timeout,
            DependsOn = record.DependsOn,
            RunOnDependencyFailure = record.RunOnDependencyFailure,
            PendingDependencies = record.PendingDependencies,
            Dependents = record.Dependents,
            ConcurrencyKey = share(record.ConcurrencyKey),
            NextRunAt = record.NextRunAt,
            DeadLettered = record.DeadLettered,
            Retry = record.Retry,
            AttemptsBeforeRetry = record.AttemptsBeforeRetry,
            Progress = record.Progress,
            CallbackUrl = record.CallbackUrl,
            CallbackEvents = record.CallbackEvents,
            WebhookDeliveries = record.WebhookDeliveries,
            SubmittedBy = share(record.SubmittedBy),
            Tenant = share(record.Tenant),
            ParentId = share(record.ParentId),
            TraceParent = record.TraceParent,
        };
    }

    /// <summary>True when every field held here is at its default in <paramref name="record"/>.</summary>
    public static bool IsPlain(TaskRecord record) =>
        record.Timeout is null
        && record.DependsOn.Length == 0
        && !record.RunOnDependencyFailure
        && record.PendingDependencies.Length == 0
        && record.Dependents.Length == 0
        && record.ConcurrencyKey is null
        && record.NextRunAt is null
        && !record.DeadLettered
        && record.Retry is null
        && record.AttemptsBeforeRetry == 0
        && record.Progress is null
        && record.CallbackUrl is null
        && record.CallbackEvents == default
        && record.WebhookDeliveries.Length == 0
        && record.SubmittedBy is null
        && record.Tenant is null
        && record.ParentId is null
        && record.TraceParent is null;
}
