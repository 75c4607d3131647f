using Oee.Grains.Contracts;
using Oee.Grains.Workers;
using Orleans.CodeGeneration;

namespace Oee.Grains.Tasks;

/// <summary>
/// The engine's own messages to a task (the same grain as <see cref="ITaskGrain"/>): what queues,
/// batch submits and clean-up send. Not part of the public contract.
/// </summary>
[Version(2)]
[Alias("oee.engine.task")]
internal interface ITaskEngineGrain : IGrainWithStringKey
{
    /// <summary>
    /// Batch submit: as <see cref="ITaskGrain.Submit"/>, at a queue position reserved for it (<see cref="Queues.IQueueEngineGrain.Reserve"/>).
    /// Kept for the batch grains of silos of the version before the one below, which send it during a rolling upgrade.
    /// </summary>
    [Alias("submit-reserved")]
    Task<SubmitResult> SubmitReserved(SubmitTaskRequest request, long sequence);

    /// <summary>
    /// Batch submit at a reserved position, as <see cref="SubmitReserved(SubmitTaskRequest, long)"/>: with
    /// <paramref name="newId"/>, of an id its caller has just generated (as <see cref="SubmitNew"/>: an activation it
    /// creates reads no record); with <paramref name="receipt"/>, answered as <see cref="SubmitForReceipt"/>.
    /// </summary>
    [Alias("submit-reserved-as")]
    ValueTask<SubmitResult> SubmitReserved(SubmitTaskRequest request, long sequence, bool newId, bool receipt);

    /// <summary>
    /// A client's submit answered with its outcome only (<see cref="Client.IOrchestrator.SubmitForReceiptAsync"/>):
    /// as <see cref="ITaskGrain.Submit"/>, but a created or existing task is not sent back (a conflict still is).
    /// A <see cref="ValueTask{TResult}"/>: the caller awaits Orleans' answer itself, with no task made to wrap it.
    /// </summary>
    [Alias("submit-for-receipt")]
    ValueTask<SubmitResult> SubmitForReceipt(SubmitTaskRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// The submit of an id the client facade has just generated: as <see cref="ITaskGrain.Submit"/> (with
    /// <paramref name="receipt"/>, as <see cref="SubmitForReceipt"/>), but an activation it creates reads no
    /// record, since none can exist; the first write still refuses if one does (see <c>TaskGrain.Loading</c>).
    /// </summary>
    [Alias("submit-new")]
    ValueTask<SubmitResult> SubmitNew(SubmitTaskRequest request, bool receipt, CancellationToken cancellationToken = default);

    /// <summary>The task's queue dispatches it, or checks that its running attempt is alive.</summary>
    [Alias("start")]
    Task<StartResult> Start();

    /// <summary>
    /// The task's queue dispatches it at <paramref name="level"/>: its priority as aging in the queue raised it
    /// (<c>agingInterval</c>), at least its priority. The level, not the submitted priority, orders the task among
    /// those waiting for a body slot on its silo, as it ordered the task in its queue. Otherwise as <see cref="Start"/>.
    /// Added in version 2.
    /// </summary>
    [Alias("start-at")]
    Task<StartResult> StartAt(int level);

    /// <summary>Removes a finished task (completed at or before <paramref name="finishedBefore"/>, when given). True when removed.</summary>
    [Alias("purge")]
    Task<bool> Purge(DateTimeOffset? finishedBefore);

    /// <summary>
    /// The outcome of an attempt whose body outlived the task activation that started it (see
    /// <c>TaskGrain.OnDeactivateAsync</c>): completes that attempt, or, with <paramref name="handBack"/>
    /// (its silo stopped before the body ended), hands the task back to its queue. Stale reports change nothing.
    /// </summary>
    [Alias("report-outcome")]
    Task ReportOutcome(int attempt, TaskOutcome outcome, bool handBack);

    /// <summary>
    /// Tasks <paramref name="dependents"/> wait for this one: it remembers them (durably) while it is
    /// unfinished and tells them when it finishes. Answers its status now (null when no such task):
    /// a caller that sees a final status counts it at once. Repeating it changes nothing.
    /// </summary>
    [Alias("register-dependents")]
    Task<OeeTaskStatus?> RegisterDependents(string[] dependents);

    /// <summary>
    /// A dependency of this task finished as <paramref name="status"/>. One-way: the finishing task
    /// never waits for its dependents; a lost message is made good by the dependency sweep
    /// (<see cref="RecheckDependencies"/>). Repeats change nothing.
    /// </summary>
    [OneWay]
    [Alias("dependency-finished")]
    Task DependencyFinished(string dependencyId, OeeTaskStatus status);

    /// <summary>A waiting task asks each pending dependency how it stands and applies what it learns (the sweep's call).</summary>
    [Alias("recheck-dependencies")]
    Task RecheckDependencies();

    /// <summary>
    /// The result of this task when it ended done; null while it is unfinished, when it ended otherwise, or when no
    /// such task exists. What a dependent's body reads (<see cref="Workers.DependencyResultReader"/>): the result
    /// alone, so that a fan-out's thousand dependents do not each receive a copy of the record with its thousand
    /// dependents. Answers only what is persisted, as <see cref="ITaskGrain.Get"/>.
    /// </summary>
    [Alias("get-done-result"), ReadOnly]
    Task<DoneResult?> GetDoneResult(CancellationToken cancellationToken = default);

    /// <summary>The task's queue moved it from its scheduled entries to its backlog: a scheduled task is now queued.</summary>
    [Alias("due")]
    Task Due();
}
