using Oee.Grains.Client;
using Oee.Grains.Contracts;

namespace Oee.Grains.Errors;

/// <summary>Submits answered with the task's id only, translated and retried as <see cref="FaultTranslatingOrchestrator.SubmitAsync"/>.</summary>
internal sealed partial class FaultTranslatingOrchestrator
{
    public Task<SubmitReceipt> SubmitForReceiptAsync(SubmitTaskRequest request, CancellationToken cancellationToken = default) =>
        RejectedCallRetry.RunTranslated(static (call, token) => call.Inner.SubmitForReceiptAsync(call.Request, token), (Inner: inner, Request: request), cancellationToken);

    // Not sent again when rejected, as batches are not (see the class).
    public Task<BatchItemResult[]> SubmitBatchForReceiptsAsync(IReadOnlyList<SubmitTaskRequest> requests, CancellationToken cancellationToken = default) =>
        Guard(inner.SubmitBatchForReceiptsAsync(requests, cancellationToken));
}
