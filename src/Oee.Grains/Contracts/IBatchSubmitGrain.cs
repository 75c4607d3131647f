using Orleans.CodeGeneration;

namespace Oee.Grains.Contracts;

/// <summary>
/// Submits many tasks in one call to the cluster: the requests travel together to the gateway silo,
/// which submits each to its own task grain there. Use <c>IOrchestrator.SubmitBatchAsync</c>, which
/// checks the requests and gives ids first.
/// </summary>
[Version(1)]
[Alias("oee.batch-submit")]
public interface IBatchSubmitGrain : IGrainWithIntegerKey
{
    /// <summary>Submits each request (each must carry its id); answers per request, in order, once every accepted task is durable.</summary>
    [Alias("submit")]
    Task<BatchItemResult[]> Submit(SubmitTaskRequest[] requests, CancellationToken cancellationToken = default);

    /// <summary>
    /// As <see cref="Submit(SubmitTaskRequest[], CancellationToken)"/>, with two choices. A request whose entry in
    /// <paramref name="newIds"/> is true carries an id its caller has just generated: its task's activation reads no
    /// stored record, since none can exist (should one exist, that task's submit fails and the stored task is left as
    /// it is). With <paramref name="receipts"/>, created and existing tasks are answered without the task
    /// (<see cref="BatchItemResult.Task"/> null; a conflict still carries the task it met), so the silo sends no task back.
    /// <paramref name="newIds"/> has one entry per request.
    /// </summary>
    [Alias("submit-as")]
    Task<BatchItemResult[]> Submit(SubmitTaskRequest[] requests, bool[] newIds, bool receipts, CancellationToken cancellationToken = default);
}
