using Microsoft.Extensions.Logging;
using Oee.Grains.Cluster;
using Oee.Grains.Contracts;
using Oee.Grains.Queues;

namespace Oee.Grains.Tasks;

/// <summary>
/// A task's dependencies: a dependent registers with each dependency at submit (which answers its
/// status), waits, and is told by each dependency when it finishes (one-way); the dependency sweep
/// (<see cref="DependencySweepGrain"/>) makes good any message a dead silo lost.
/// </summary>
internal sealed partial class TaskGrain
{
    /// <summary>
    /// Submit of a task with dependencies: registers with each (an unknown one makes the request
    /// invalid), takes its place in its queue's order, counts the dependencies already finished, and
    /// persists the task waiting (or queued, when all are done; or cancelled, when one failed).
    /// Registering comes first: a dependency that finishes after it tells this task, whose submit
    /// (a non-reentrant call) completes before that message is handled.
    /// </summary>
    private async Task<SubmitResult> SubmitWaiting(SubmitTaskRequest request, long? reservedSequence, bool receipt)
    {
        var dependsOn = request.DependsOn!;
        var statuses = await Task.WhenAll(dependsOn.Select(d => Engine(d).RegisterDependents([Id])));
        FieldError[] unknown = [.. dependsOn
            .Where((_, i) => statuses[i] is null)
            .Select(d => new FieldError("dependsOn", $"Task '{d}' does not exist: a task can depend only on tasks submitted before it or in the same batch."))];
        if (unknown.Length > 0)
        {
            DeactivateOnIdle();
            return SubmitResult.Invalid(unknown);
        }

        var queue = SubmitPolicy.QueueOf(request);
        var place = await Queue(queue).PlaceWaiting(reservedSequence);
        var now = time.GetUtcNow();
        var accepted = policy.Accept(Id, request, place.Sequence, now, dueAt: null, place.Retry, place.MaxAttempts, place.Timeout, place.CallbackUrl, place.CallbackEvents);
        var effects = TaskEffects.None;
        for (var i = 0; i < dependsOn.Length; i++)
        {
            if (statuses[i] is { } status && status.IsFinal())
            {
                var transition = TaskStateMachine.Apply(accepted, new TaskCommand.DependencyFinished(dependsOn[i], status), now);
                accepted = transition.Task;
                effects |= transition.Effects;
            }
        }

        // All its dependencies done already: it enters its queue now, as a plain submit does, and is refused (nothing
        // stored) when the queue holds its maxPending waiting tasks. (A task accepted as waiting enters later, admitted.)
        var placed = effects.HasFlag(TaskEffects.Enqueue) ? await EnqueueAtSequence(accepted, admitted: false) : null;
        if (placed is { QueueFull: true })
        {
            DeactivateOnIdle();
            return SubmitResult.QueueFull(queue, placed.MaxPending, placed.RetryAfter);
        }

        var startedNow = placed is { StartNow: true } ? StartWithWrite(accepted) : null;
        try
        {
            await Persist(startedNow?.Task ?? accepted);
        }
        catch
        {
            if (startedNow is not null)
            {
                slots.Release();
            }

            DeactivateOnIdle();
            throw;
        }

        events.Submitted(accepted);
        LogSubmitted(logger, Id, queue, accepted.Priority, place.Sequence);
        Telemetry.OeeMetrics.TaskSubmitted(accepted);
        if (placed is null)
        {
            KeepOrLetGo();
        }
        else
        {
            StopHolding();
            StartOrLetGo(placed, accepted, startedNow);
        }

        return Answer(SubmitStatus.Created, accepted, receipt);
    }

    async Task<OeeTaskStatus?> ITaskEngineGrain.RegisterDependents(string[] dependents)
    {
        await Loaded();
        if (record is null)
        {
            DeactivateOnIdle();
            return null;
        }

        var transition = await Apply(new TaskCommand.AddDependents(dependents));
        return transition.Task.Status;
    }

    async Task ITaskEngineGrain.DependencyFinished(string dependencyId, OeeTaskStatus status)
    {
        await Loaded();
        if (record is null)
        {
            // Not submitted yet: most likely a batch registered this task before submitting it. Its submit
            // registers again and learns the status then; meanwhile its activation may wait for it.
            KeepOrLetGo();
            return;
        }

        await LearnDependency(dependencyId, status);
    }

    async Task ITaskEngineGrain.RecheckDependencies()
    {
        await Loaded();
        if (record is not { Status: OeeTaskStatus.Waiting } waiting)
        {
            // No longer waiting (the listing was a moment old). Never deactivate a task that may be
            // running here: its deactivation would drain the body.
            if (record?.Status.IsFinal() != false && attemptCancellation is null)
            {
                DeactivateOnIdle();
            }

            return;
        }

        // Registering again is harmless and answers the status; a dependency that vanished answers null.
        var pending = waiting.PendingDependencies;
        var statuses = await Task.WhenAll(pending.Select(d => Engine(d).RegisterDependents([Id])));
        for (var i = 0; i < pending.Length && record is { Status: OeeTaskStatus.Waiting }; i++)
        {
            if (statuses[i] is not { } status || status.IsFinal())
            {
                await LearnDependency(pending[i], statuses[i]);
            }
        }

        if (record is { Status: OeeTaskStatus.Waiting })
        {
            // The sweep asks only tasks that have waited long: not worth a hold of the budget.
            StopHolding();
            DeactivateOnIdle();
        }
    }

    private async Task LearnDependency(string dependencyId, OeeTaskStatus? status)
    {
        try
        {
            var transition = await Apply(new TaskCommand.DependencyFinished(dependencyId, status));
            if (transition.Task.Status == OeeTaskStatus.Waiting)
            {
                KeepOrLetGo();
            }
            else
            {
                StopHolding();
            }
        }
        catch (Exception ex)
        {
            // The record could not be written (storage away, or a stale activation): the sweep asks again.
            LogDependencyNotApplied(logger, ex, Id, dependencyId);
            DeactivateOnIdle();
        }
    }

    /// <summary>Tells every dependent that this task finished; one-way, so a finishing task never waits on them.</summary>
    private void NotifyDependents(TaskRecord task)
    {
        foreach (var dependent in task.Dependents)
        {
            _ = Engine(dependent).DependencyFinished(Id, task.Status);
        }
    }

    /// <summary>
    /// Puts a ready task in its queue at the sequence it got at submit, so that among equal priorities
    /// it keeps its submit order. Should the queue no longer know that number (its reservation was
    /// lost with a restart), the task takes the next one. A task accepted earlier (<paramref name="admitted"/>: one that
    /// waited for its dependencies) is never refused; when the queue dispatches it at once, the answer says so
    /// (<see cref="EnqueueResult.StartNow"/>): the task starts itself once its record says queued
    /// (<see cref="StartHandedOver"/>), as a submitted task does, without a start call back. One being submitted (its
    /// dependencies all done already) enters as a plain submit does: refused when the queue holds its maxPending waiting tasks.
    /// </summary>
    private async Task<EnqueueResult> EnqueueAtSequence(TaskRecord task, bool admitted = true)
    {
        var queue = Queue(task.Queue);
        try
        {
            return admitted
                ? await queue.EnqueueReadyOrStart(Id, task.Priority, task.Sequence, task.ConcurrencyKey)
                : await queue.EnqueueReserved(Id, task.Priority, task.Sequence, task.ConcurrencyKey, admitted: false);
        }
        catch (ArgumentOutOfRangeException)
        {
            return await queue.Enqueue(Id, task.Priority, task.ConcurrencyKey, admitted);
        }
    }

    private ITaskEngineGrain Engine(string taskId) => GrainFactory.Reference<ITaskEngineGrain>(taskId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId} could not record how dependency {DependencyId} ended; the dependency sweep asks again")]
    private static partial void LogDependencyNotApplied(ILogger logger, Exception exception, string taskId, string dependencyId);
}
