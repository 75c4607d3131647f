using Oee.Grains.Client;
using Oee.Grains.Contracts;

namespace Oee.Grains.Errors;

/// <summary>
/// The <see cref="IOrchestrator"/> callers get: every call of the inner one, with Orleans' and the
/// storage provider's exceptions turned into OEE's (<see cref="FaultTranslation.AtCaller"/>):
/// <see cref="OeeClusterUnavailableException"/> and <see cref="OeeStorageUnavailableException"/>,
/// both retryable <see cref="OeeUnavailableException"/>s. A single call whose message Orleans
/// rejected before it ran is sent again first (<see cref="RejectedCallRetry"/>); batches and sweeps are not.
/// </summary>
internal sealed partial class FaultTranslatingOrchestrator(IOrchestrator inner) : IOrchestrator
{
    public Task<SubmittedTask> SubmitAsync(SubmitTaskRequest request, CancellationToken cancellationToken = default) =>
        RejectedCallRetry.RunTranslated(static (call, token) => call.Inner.SubmitAsync(call.Request, token), (Inner: inner, Request: request), cancellationToken);

    public Task<BatchItemResult[]> SubmitBatchAsync(IReadOnlyList<SubmitTaskRequest> requests, CancellationToken cancellationToken = default) =>
        Guard(inner.SubmitBatchAsync(requests, cancellationToken));

    public Task<TaskRecord?> GetAsync(string taskId, CancellationToken cancellationToken = default) =>
        Guard(RejectedCallRetry.Run(token => inner.GetAsync(taskId, token), cancellationToken));

    public Task<CancelResult> CancelAsync(string taskId, CancellationToken cancellationToken = default) =>
        Guard(RejectedCallRetry.Run(token => inner.CancelAsync(taskId, token), cancellationToken));

    public Task<TaskRecord> RetryAsync(string taskId, CancellationToken cancellationToken = default) =>
        Guard(RejectedCallRetry.Run(token => inner.RetryAsync(taskId, token), cancellationToken));

    public Task<TaskPage> ListAsync(TaskQuery query, CancellationToken cancellationToken = default) =>
        Guard(RejectedCallRetry.Run(token => inner.ListAsync(query, token), cancellationToken));

    public Task<QueueStatus[]> ListQueuesAsync(CancellationToken cancellationToken = default) =>
        Guard(RejectedCallRetry.Run(inner.ListQueuesAsync, cancellationToken));

    public Task<QueueStatus> GetQueueAsync(string name, CancellationToken cancellationToken = default) =>
        Guard(RejectedCallRetry.Run(token => inner.GetQueueAsync(name, token), cancellationToken));

    public Task<QueueStatus> ConfigureQueueAsync(string name, QueueSettingsUpdate update, CancellationToken cancellationToken = default) =>
        Guard(RejectedCallRetry.Run(token => inner.ConfigureQueueAsync(name, update, token), cancellationToken));

    public Task<SystemStatus> GetSystemStatusAsync(CancellationToken cancellationToken = default) =>
        Guard(RejectedCallRetry.Run(inner.GetSystemStatusAsync, cancellationToken));

    public Task<int> ClearFinishedAsync(TimeSpan? olderThan = null, CancellationToken cancellationToken = default) =>
        Guard(inner.ClearFinishedAsync(olderThan, cancellationToken));

    private static Task<T> Guard<T>(Task<T> call) => call.IsCompletedSuccessfully ? call : Translated(call);

    private static async Task<T> Translated<T>(Task<T> call)
    {
        try
        {
            return await call;
        }
        catch (Exception exception) when (FaultTranslation.AtCaller(exception) is { } fault)
        {
            throw fault;
        }
    }
}
