using Oee.Grains.Contracts;

namespace Oee.Grains.Client;

/// <summary>Submits answered with the task's id only.</summary>
public partial interface IOrchestrator
{
    /// <summary>
    /// Submits a task as <see cref="SubmitAsync"/> does (the same checks, the same exceptions, durable on return),
    /// but answers only the task's id and whether this submit created it, not the whole task: for callers that
    /// need no more, the silo does not send the task back (through an Orleans client, the answer crosses the
    /// network without the task's input). Read the task with <see cref="GetAsync"/> when it is needed.
    /// </summary>
    async Task<SubmitReceipt> SubmitForReceiptAsync(SubmitTaskRequest request, CancellationToken cancellationToken = default)
    {
        // For implementations written before this member: the whole answer, cut down.
        var submitted = await SubmitAsync(request, cancellationToken).ConfigureAwait(false);
        return new SubmitReceipt(submitted.Task.Id, submitted.Created);
    }

    /// <summary>
    /// Submits a batch as <see cref="SubmitBatchAsync"/> does (the same checks, the same exceptions, the same answer per
    /// task, durable on return), but created and existing tasks come back without the task (<see cref="BatchItemResult.Task"/>
    /// null; a conflict still carries the task it met): for bulk submitters that need the ids and outcomes only, the silo
    /// sends no task back. Read a task with <see cref="GetAsync"/> when it is needed.
    /// </summary>
    async Task<BatchItemResult[]> SubmitBatchForReceiptsAsync(IReadOnlyList<SubmitTaskRequest> requests, CancellationToken cancellationToken = default)
    {
        // For implementations written before this member: the whole answer, cut down.
        var results = await SubmitBatchAsync(requests, cancellationToken).ConfigureAwait(false);
        return [.. results.Select(BatchItemResult.AsReceipt)];
    }
}

/// <summary>What <see cref="IOrchestrator.SubmitForReceiptAsync"/> answers: the task's id and whether this submit created it.</summary>
/// <param name="Id">The task's id (the request's, or the one generated for it).</param>
/// <param name="Created">True when new; false when the same request had been submitted before.</param>
public sealed record SubmitReceipt(string Id, bool Created);
