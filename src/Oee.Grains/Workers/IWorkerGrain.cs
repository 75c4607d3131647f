using Oee.Grains.Contracts;

namespace Oee.Grains.Workers;

/// <summary>
/// Engine use: runs task bodies. A stateless worker, always activated on its caller's silo, so a
/// body runs on the silo of the task that started it.
/// </summary>
[Alias("oee.engine.worker")]
internal interface IWorkerGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Runs one attempt of the task's body; a body's exception is reported as a failed outcome, never
    /// thrown. The call lasts as long as the body, so its response timeout is the longest a body may
    /// run (7 days) rather than Orleans' 30-second default.
    /// </summary>
    [Alias("execute")]
    [ResponseTimeout("7.00:00:00")]
    Task<TaskOutcome> Execute(TaskRecord task, CancellationToken cancellationToken);
}
