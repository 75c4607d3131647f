using Oee.Grains.Contracts;
using Orleans.CodeGeneration;

namespace Oee.Grains.Workers;

/// <summary>
/// Engine use: runs task bodies. A stateless worker, always activated on its caller's silo, so a
/// body runs on the silo of the task that started it.
/// </summary>
[Version(1)]
[Alias("oee.engine.worker")]
internal interface IWorkerGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Starts the body of the task's current attempt, which its task registered in this silo's
    /// <see cref="LocalAttempts"/>, and returns at once: the outcome (a body's exception becomes a failed
    /// outcome, never thrown) is set on that registration when the body returns, however long it runs.
    /// False when the attempt is not registered on this silo (the worker was placed elsewhere).
    /// The record is passed as <see cref="Immutable{T}"/>: the call never leaves the silo and neither
    /// side changes the record, so it is not copied. A <see cref="ValueTask{TResult}"/>: the task awaits
    /// Orleans' answer itself, with no task made to wrap it.
    /// </summary>
    [Alias("start-body-shared")]
    ValueTask<bool> StartBody(Immutable<TaskRecord> task);
}
