namespace Oee.Grains.Contracts;

/// <summary>
/// Submits many tasks in one call to the cluster: the requests travel together to the gateway silo,
/// which submits each to its own task grain there. Use <c>IOrchestrator.SubmitBatchAsync</c>, which
/// checks the requests and gives ids first.
/// </summary>
[Alias("oee.batch-submit")]
public interface IBatchSubmitGrain : IGrainWithIntegerKey
{
    /// <summary>Submits each request (each must carry its id); answers per request, in order, once every accepted task is durable.</summary>
    [Alias("submit")]
    Task<BatchItemResult[]> Submit(SubmitTaskRequest[] requests, CancellationToken cancellationToken = default);
}
