namespace Oee.Grains.Contracts;

/// <summary>
/// Runs task bodies. A stateless worker: always activated on its caller's silo, so a body runs
/// on the silo of the task that started it.
/// </summary>
[Alias("oee.worker")]
public interface IWorkerGrain : IGrainWithIntegerKey
{
    /// <summary>Runs one attempt of a body; a body's exception is reported as a failed outcome, never thrown.</summary>
    [Alias("execute")]
    Task<TaskOutcome> Execute(ExecutionRequest request, CancellationToken cancellationToken);
}
