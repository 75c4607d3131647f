namespace Oee.Grains.Contracts;

/// <summary>
/// Runs task bodies. A stateless worker: always activated on its caller's silo, so a body runs
/// on the silo of the task that started it.
/// </summary>
[Alias("oee.worker")]
public interface IWorkerGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Runs one attempt of a body; a body's exception is reported as a failed outcome, never thrown.
    /// The call lasts as long as the body, so its response timeout is the longest a body may run
    /// (7 days) rather than Orleans' 30-second default.
    /// </summary>
    [Alias("execute")]
    [ResponseTimeout("7.00:00:00")]
    Task<TaskOutcome> Execute(ExecutionRequest request, CancellationToken cancellationToken);
}
