using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Oee.Grains.Cluster;
using Oee.Grains.Configuration;
using Oee.Grains.Contracts;
using Oee.Grains.Events;
using Oee.Grains.Queues;
using Oee.Grains.Storage;
using Oee.Grains.Telemetry;
using Oee.Grains.Time;
using Oee.Grains.WarmUp;
using Oee.Grains.Workers;
using Orleans.Placement;
using Orleans.Runtime;

namespace Oee.Grains.Tasks;

/// <summary>
/// One task: loads its record, applies commands through <see cref="TaskStateMachine"/>,
/// persists, then carries out the transition's effects (queue, worker, index).
/// A dispatched task waits for a worker slot on this silo, runs its body through the local
/// worker, records the outcome and leaves its queue. Finished tasks deactivate at once.
/// Placed at random so that tasks, and so their bodies, spread over the silos by their worker slots whichever
/// gateway the submits come through (<see cref="Cluster.Placement.TaskPlacementResolver"/>; the manifest says random).
/// </summary>
[RandomPlacement]
internal sealed partial class TaskGrain(TaskGrainServices services) : Grain, ITaskGrain, ITaskEngineGrain, ITaskEventsGrain
{
    // Requests and the background attempt interleave at awaits: every change of the record
    // (transition, persist, effects) happens under this lock, one at a time.
    // How far ahead of its due time a scheduled task still takes a dispatch (clocks of silos differ a little).
    private static readonly TimeSpan EarlyStartTolerance = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim changeLock = new(1, 1);

    // In memory only: the attempt under way on this activation, how to stop it, whether the
    // activation is going away (then no body starts here), and whether the attempt is being stopped
    // because of that (then the task goes back to its queue).
    private CancellationTokenSource? attemptCancellation;

    // A start its queue sent while the attempt here was ending, after it had put the task back to wait (a retry whose
    // backoff was over at once): run once that attempt is over. Holds the level it came with (null: the priority).
    private (bool Pending, int? Level) startAfterAttempt;

    // True while the attempt here applies its body's outcome, or hands back an attempt whose body never began (from just before
    // its Complete or its Requeue until the attempt is over): only then does a queued or scheduled record mean the attempt put
    // the task back. Before its body began, the record is queued too, and a start then (a repeated dispatch, a lease check) is
    // only a duplicate of the one under way.
    private bool completingAttempt;
    private Task? currentAttempt;
    private bool deactivating;
    private bool draining;

    // The attempt whose body runs now (between its start and its outcome); see OnDeactivateAsync.
    private LocalAttempts.RunningAttempt? runningBody;

    // RecordProgress as the recorder a body's first progress report starts (see AttemptProgress.RecordWith).
    private Func<object?, Task>? recordProgress;

    // The persisted record (null before submit and after purge) and the ETag it was read or written with.
    private TaskRecord? record;
    private string? etag;

    // The key, decoded once (each GetPrimaryKeyString decodes the grain id's bytes into a new string).
    private string? id;

    private string Id => id ??= this.GetPrimaryKeyString();

    Task<SubmitResult> ITaskGrain.Submit(SubmitTaskRequest request, CancellationToken cancellationToken) =>
        LoadedSubmit(request, reservedSequence: null, receipt: false);

    Task<SubmitResult> ITaskEngineGrain.SubmitReserved(SubmitTaskRequest request, long sequence) =>
        LoadedSubmit(request, sequence, receipt: false);

    /// <summary>A submit; with <paramref name="receipt"/>, an accepted one is answered without its task (<see cref="Answer"/>).</summary>
    private async Task<SubmitResult> Submit(SubmitTaskRequest request, long? reservedSequence, bool receipt)
    {
        if (record is { } existing)
        {
            return SubmitPolicy.IsSameRequest(existing, request) ? Answer(SubmitStatus.Existing, existing, receipt) : SubmitResult.Conflict(existing);
        }

        if (request.Id is not null && request.Id != Id)
        {
            return SubmitResult.Invalid([new FieldError("id", $"The request's id '{request.Id}' differs from the task grain's key '{Id}'.")]);
        }

        var acceptedAt = time.GetUtcNow();
        var errors = policy.Check(request, acceptedAt);
        if (errors.Count == 0 && WarmUpTasks.IsQueue(request.Queue) && !WarmUpTasks.TakeMark())
        {
            errors = [WarmUpTasks.Refusal];
        }

        if (errors.Count > 0)
        {
            DeactivateOnIdle();
            return SubmitResult.Invalid(errors);
        }

        if (request.DependsOn is { Length: > 0 })
        {
            return await SubmitWaiting(request, reservedSequence, receipt);
        }

        var queue = SubmitPolicy.QueueOf(request);
        var priority = SubmitPolicy.PriorityOf(request);
        var dueAt = SubmitPolicy.DueAt(request, acceptedAt);

        // Enqueue first: if persisting then fails, the queue's entry finds no task and is dropped,
        // whereas a persisted task missing from its queue would never run. The queue's dispatch
        // waits behind this call, so the task is durable before it can start. A delayed start
        // waits in the queue's scheduled entries instead, with its sequence given now. A full queue
        // refuses here, before anything is persisted or indexed: the task is not half-accepted.
        // Durable mode: a task dispatched at once has its queue entry written with its record (see StartWithWrite).
        var placed = dueAt is { } due
            ? await Queue(queue).Schedule(Id, priority, due, reservedSequence, request.ConcurrencyKey)
            : await leaves.EnqueueOrStart(Queue(queue), queue, Id, priority, reservedSequence, request.ConcurrencyKey, withRecord: store.WritesQueueEntries);
        if (placed.QueueFull)
        {
            DeactivateOnIdle();
            return SubmitResult.QueueFull(queue, placed.MaxPending, placed.RetryAfter);
        }

        var accepted = policy.Accept(Id, request, placed.Sequence, acceptedAt, dueAt, placed.Retry, placed.MaxAttempts, placed.Timeout, placed.CallbackUrl, placed.CallbackEvents);
        var startedNow = placed.StartNow ? StartWithWrite(accepted) : null;
        try
        {
            var first = startedNow?.Task ?? accepted;
            etag = await WriteSubmitted(accepted, first, placed);
            record = first;
            SignalWaiters();

            // Kept before its submit (a dependency's message came first): stored now, it is held no longer.
            StopHolding();
        }
        catch
        {
            // Not durable, so not accepted: forget it here too, so that a retried submit starts afresh.
            if (startedNow is not null)
            {
                slots.Release();
            }

            DeactivateOnIdle();
            throw;
        }

        events.Submitted(accepted);
        LogSubmitted(logger, Id, queue, priority, placed.Sequence);
        OeeMetrics.TaskSubmitted(accepted);

        // A task that waits in a backlog need not hold an activation (a million queued tasks would
        // hold a million); its dispatch activates it again.
        StartOrLetGo(placed, accepted, startedNow);

        return Answer(SubmitStatus.Created, accepted, receipt);
    }

    async Task<TaskRecord?> ITaskGrain.Get(CancellationToken cancellationToken)
    {
        await Loaded();
        // Wait for a transition in flight: answer only what is persisted and indexed.
        await changeLock.WaitAsync(cancellationToken);
        try
        {
            if (record is null)
            {
                DeactivateOnIdle();
            }

            return record;
        }
        finally
        {
            changeLock.Release();
        }
    }

    async Task<DoneResult?> ITaskEngineGrain.GetDoneResult(CancellationToken cancellationToken)
    {
        var task = await ((ITaskGrain)this).Get(cancellationToken);
        return task is { Status: OeeTaskStatus.Done } ? new DoneResult(task.Result) : null;
    }

    async Task<CancelResult> ITaskGrain.Cancel(CancellationToken cancellationToken)
    {
        await Loaded();
        if (record is null)
        {
            DeactivateOnIdle();
            return new CancelResult(CancelStatus.NotFound, null);
        }

        var transition = await Apply(new TaskCommand.Cancel());
        return transition.Kind == TransitionKind.Refused
            ? new CancelResult(CancelStatus.AlreadyFinished, transition.Task)
            : new CancelResult(
                transition.Task.Status == OeeTaskStatus.Cancelled ? CancelStatus.Cancelled : CancelStatus.CancellationRequested,
                transition.Task);
    }

    async Task<RetryResult> ITaskGrain.Retry(CancellationToken cancellationToken)
    {
        await Loaded();
        if (record is null)
        {
            DeactivateOnIdle();
            return new RetryResult(RetryStatus.NotFound, null);
        }

        var transition = await Apply(new TaskCommand.Retry());
        if (transition.Kind == TransitionKind.Refused)
        {
            return new RetryResult(RetryStatus.NotRetryable, transition.Task, transition.Reason);
        }

        LogRetried(logger, Id, transition.Task.Attempt + 1);
        if (transition.Task.Status == OeeTaskStatus.Waiting)
        {
            // Back to waiting for the dependencies it had not seen finish: ask them now (any may have finished
            // since; a failed one cancels it again, as at submit).
            await ((ITaskEngineGrain)this).RecheckDependencies();
            return new RetryResult(RetryStatus.Requeued, record ?? transition.Task);
        }

        return new RetryResult(RetryStatus.Requeued, transition.Task);
    }

    async Task ITaskEngineGrain.Due()
    {
        await Loaded();
        if (record is null)
        {
            DeactivateOnIdle();
            return;
        }

        await Apply(new TaskCommand.Due());
        if (attemptCancellation is null && record?.Status != OeeTaskStatus.Running)
        {
            // A queued task need not hold an activation; its dispatch activates it again.
            DeactivateOnIdle();
        }
    }

    Task<StartResult> ITaskEngineGrain.Start() => Dispatched(level: null);

    Task<StartResult> ITaskEngineGrain.StartAt(int level) => Dispatched(level);

    /// <summary>
    /// The queue's start (<paramref name="level"/>: the level it dispatched the task at, or null for its priority)
    /// or its lease check.
    /// </summary>
    private async Task<StartResult> Dispatched(int? level)
    {
        await Loaded();
        if (record is not { } task)
        {
            // A queue entry without a record: the submit failed before persisting. Drop any summary it left.
            await index.Forget(Id);
            DeactivateOnIdle();
            return StartResult.NotFound;
        }

        // An attempt under way here: a repeated dispatch or a queue's lease check. Unless that attempt has already
        // ended and put the task back to wait (a retry due at once, e.g. a zero backoff, or an attempt handed back before
        // its body began: its queue dispatched it again before the attempt let go): then this is the next attempt's start,
        // run as soon as the attempt is over (else the queue would count the task running, holding its slot, until its
        // lease check).
        if (attemptCancellation is not null)
        {
            if (completingAttempt && task.Status is OeeTaskStatus.Scheduled or OeeTaskStatus.Queued)
            {
                startAfterAttempt = (true, level);
            }

            return StartResult.Accepted;
        }

        if (task.Status.IsFinal())
        {
            // A queue still holds a finished task only when a silo died between persisting the
            // end and telling the index, its dependents and the queue: repeat them (each is idempotent).
            await store.Reindex(task);
            NotifyDependents(task);
            DeactivateOnIdle();
            return StartResult.NotQueued;
        }

        if (task.Status == OeeTaskStatus.Waiting)
        {
            // Enqueued as ready, but the silo died before the record said so: the dependency sweep
            // finds it waiting and enqueues it again.
            DeactivateOnIdle();
            return StartResult.NotQueued;
        }

        if (SiloTerminating())
        {
            // A stopping silo starts nothing new (its worker could even be placed on another silo):
            // the dispatch stays with the queue, whose lease check brings it to an activation elsewhere.
            DeactivateOnIdle();
            return StartResult.Accepted;
        }

        if (task.Status == OeeTaskStatus.Scheduled && task.NextRunAt > time.GetUtcNow() + EarlyStartTolerance)
        {
            // A lease check the queue sent before this task went back to wait for its retry's
            // backoff: not due yet. (A dispatch from a queue whose clock runs ahead is asked again at
            // its next lease check.)
            DeactivateOnIdle();
            return StartResult.Accepted;
        }

        // Queued: start. Running with no attempt in this activation: recover only if the attempt was
        // lost (its silo died). An attempt still running on a live silo (an older activation of this
        // task draining there) keeps the task: this activation steps aside and the next lease check asks again.
        var recover = task.Status == OeeTaskStatus.Running;
        if (recover)
        {
            var state = await whereabouts.Find(task);
            if (state != AttemptState.Lost)
            {
                LogAttemptElsewhere(logger, Id, task.Attempt, task.Silo ?? "?", state);
                DeactivateOnIdle();
                return StartResult.Accepted;
            }

            if (attemptCancellation is not null || record is not { Status: OeeTaskStatus.Running })
            {
                // Another request started or finished it while this one asked.
                return StartResult.Accepted;
            }

            LogAttemptLost(logger, Id, task.Attempt, task.Silo ?? "?");
        }

        attemptCancellation = new CancellationTokenSource();
        DelayDeactivation(Timeout.InfiniteTimeSpan);
        currentAttempt = RunAttempt(attemptCancellation, recover, slotLevel: level);
        return StartResult.Accepted;
    }

    async Task<bool> ITaskEngineGrain.Purge(DateTimeOffset? finishedBefore)
    {
        await Loaded();
        if (record is not { } task)
        {
            // An index entry without a record (e.g. lost with a memory-mode silo): drop it.
            await index.Forget(Id);
            DeactivateOnIdle();
            return true;
        }

        if (!task.Status.IsFinal() || (finishedBefore is not null && task.CompletedAt > finishedBefore))
        {
            return false;
        }

        if (task.ParentId is { } parentId && await ParentUnfinished(parentId, task.Tenant))
        {
            // A child of a task still under way (a pipeline's stage task): its parent may still read it.
            return false;
        }

        await changeLock.WaitAsync();
        try
        {
            etag = await store.Delete(this.GetGrainId(), etag);
            record = null;
            SignalWaiters();
        }
        finally
        {
            changeLock.Release();
        }

        DeactivateOnIdle();
        return true;
    }

    async Task ITaskEngineGrain.ReportOutcome(int attempt, TaskOutcome outcome, bool handBack)
    {
        await Loaded();
        if (record is null)
        {
            DeactivateOnIdle();
            return;
        }

        var transition = await Apply(handBack ? new TaskCommand.Requeue(attempt) : new TaskCommand.Complete(attempt, outcome));
        if (handBack && transition is { Kind: TransitionKind.Applied, Task.Status: OeeTaskStatus.Queued })
        {
            LogHandedBack(logger, Id, attempt, transition.Task.Queue, options.Value.DrainTimeout);
        }
    }

    /// <summary>
    /// When this silo stops (a graceful shutdown), a running body gets <see cref="OeeOptions.DrainTimeout"/>
    /// to finish; then it is cancelled and the task goes back to its queue to run elsewhere. A body that
    /// ignores its token is waited for <see cref="OeeOptions.DrainCancelGrace"/> more, then left behind.
    /// When only this activation goes away and its silo runs on (Orleans' classic directory drops the
    /// activations whose registration a stopping silo held), the body runs on where it is: its outcome
    /// then reaches the task's next activation through <see cref="ITaskEngineGrain.ReportOutcome"/>,
    /// and until then that activation finds the attempt running here and does not start another. An
    /// attempt whose body has not begun (it awaits a slot, or its start is being written) never begins it
    /// here: its dispatch or its uncounted attempt goes back to the queue (see <see cref="RunAttempt"/>).
    /// </summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        deactivating = true;
        StopHolding();
        ReleaseWaiters();
        HurryLeave();
        if (currentAttempt is not { IsCompleted: false } attempt)
        {
            return;
        }

        if (runningBody is { } body && reason.ReasonCode != DeactivationReasonCode.ShuttingDown && !SiloTerminating())
        {
            body.Detach();
            LogDetached(logger, Id, body.Attempt, reason.Description);
            return;
        }

        LogDraining(logger, Id, reason.Description);
        using var drainTime = new CancellationTokenSource(options.Value.DrainTimeout, time);
        using var drainOrStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, drainTime.Token);
        await attempt.WaitAsync(drainOrStop.Token).ContinueWith(static _ => { }, TaskScheduler.Current);
        if (!attempt.IsCompleted)
        {
            draining = true;
            attemptCancellation?.Cancel();
            await attempt.WaitAsync(options.Value.DrainCancelGrace, time).ContinueWith(static _ => { }, TaskScheduler.Current);
        }
    }

    /// <summary>
    /// One dispatched attempt: slot, start (or recover a lost one), body, outcome, leave the queue. With
    /// <paramref name="startedInWrite"/>, the attempt the write that stored the task started (<see cref="StartWithWrite"/>):
    /// slot taken, running record written. <paramref name="slotLevel"/>: the level its queue dispatched it at, which
    /// orders it among the tasks waiting for a slot here (never below its priority).
    /// </summary>
    private async Task RunAttempt(CancellationTokenSource cancellation, bool recover, TaskRecord? startedInWrite = null, int? slotLevel = null)
    {
        var slotTaken = startedInWrite is not null;
        LocalAttempts.RunningAttempt? body = null;
        try
        {
            TaskRecord task;
            if (startedInWrite is not null)
            {
                task = startedInWrite;
            }
            else
            {
                // A higher level goes first among the tasks waiting for a slot on this silo: the priority as aging
                // in the queue raised it, so that a task aged past fresher ones there is not put back behind them here.
                var priority = record?.Priority ?? 0;
                await slots.WaitAsync(Math.Max(priority, Math.Min(slotLevel ?? priority, TaskLimits.MaxPriority)), cancellation.Token);
                slotTaken = true;
                if (NoBodyStartsHere() && record is { Status: OeeTaskStatus.Queued } waiting)
                {
                    // Dispatched before this activation began to go away (or its silo to stop), given a slot
                    // after: hand the dispatch back, and the next activation starts it.
                    await Queue(waiting.Queue).Requeue(Id);
                    return;
                }

                var start = await Apply(new TaskCommand.Start(silo.SiloAddress.ToParsableString(), recover));
                if (start.Kind != TransitionKind.Applied || start.Task.Status != OeeTaskStatus.Running)
                {
                    return;
                }

                task = start.Task;
            }

            TaskOutcome outcome;
            var bodyRan = true;
            using var span = OeeTracing.StartRun(task);
            body = localAttempts.Register(task.Id, task.Attempt, cancellation);
            runningBody = body;
            body.Progress.RecordWith(recordProgress ??= attempt => RecordProgress((LocalAttempts.RunningAttempt)attempt!), body, TaskScheduler.Current);
            try
            {
                // The body does not begin in an activation that began to go away before the body was
                // registered (while the start was being written, or a slot awaited: Orleans may deactivate it
                // while its silo runs on, e.g. when the grain directory changes hands; the task goes back to
                // its queue uncounted, rather than being drained and counted), nor on a silo that began to
                // stop, nor when this silo's worker was placed on another silo, which knows nothing of the
                // attempt (a stateless worker is placed elsewhere only while its silo stops).
                if (!NoBodyStartsHere() && await GrainFactory.Reference<IWorkerGrain>(0).StartBody(new Immutable<TaskRecord>(task)))
                {
                    OeeMetrics.BodyStarted(task);

                    // Without a timeout the outcome is awaited here (no state machine of AwaitBody's own per attempt).
                    outcome = task.Timeout is null ? await body.Outcome : await AwaitBody(task, body);
                }
                else
                {
                    bodyRan = false;
                    outcome = TaskOutcome.Cancelled();
                }
            }
            catch (Exception) when (SiloTerminating())
            {
                // The body never ran: this silo is stopping and its worker cannot be reached (a task
                // can come due, or be dispatched, while its silo stops).
                bodyRan = false;
                outcome = TaskOutcome.Cancelled();
            }
            catch (Exception ex)
            {
                outcome = TaskOutcome.Failed(new TaskError($"The worker could not run the body: {ex.Message}", ex.GetType().FullName ?? "Exception"));
            }

            // The last progress report is recorded before the outcome, so its event comes first.
            body.Progress.End();
            await body.Progress.Recorder;
            OeeTracing.Ran(span, outcome);
            runningBody = null;
            slots.Release();
            slotTaken = false;
            if (body.IsDetached)
            {
                await ReportFromDetachedBody(task.Attempt, outcome, handBack: body.HandBack && outcome.Kind == TaskOutcomeKind.Cancelled);
            }
            else if (!bodyRan)
            {
                // Handed back as a drain does, without counting the attempt that never ran. Its queue dispatches the task
                // again at once, and that start can reach this activation before the attempt is over: kept, it is taken
                // then (not by an activation going away, nor on a stopping silo, which starts nothing).
                completingAttempt = true;
                var requeue = await Apply(new TaskCommand.Requeue(task.Attempt, BodyRan: false));
                if (requeue.Kind == TransitionKind.Applied && requeue.Task.Status == OeeTaskStatus.Queued)
                {
                    LogHandedBackUnrun(logger, Id, task.Attempt, task.Queue, UnrunReason());
                }
            }
            else if (draining && outcome.Kind == TaskOutcomeKind.Cancelled)
            {
                var requeue = await Apply(new TaskCommand.Requeue(task.Attempt));
                if (requeue.Kind == TransitionKind.Applied && requeue.Task.Status == OeeTaskStatus.Queued)
                {
                    LogHandedBack(logger, Id, task.Attempt, task.Queue, options.Value.DrainTimeout);
                }
            }
            else
            {
                // A cancelled body's slot is freed at once: someone asked for it.
                completingAttempt = true;
                await Apply(new TaskCommand.Complete(task.Attempt, outcome), leaveLater: outcome.Kind != TaskOutcomeKind.Cancelled);
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // Cancelled while waiting for a slot: by a cancel (which already left the queue), or
            // by a drain (the task is still queued: hand the dispatch back).
            if (draining && record is { Status: OeeTaskStatus.Queued } queued)
            {
                await Queue(queued.Queue).Requeue(Id);
            }
        }
        catch (Exception ex)
        {
            LogAttemptFailed(logger, ex, Id, ex.Message);

            // A write that reported a failure may still have landed (the database went away after
            // committing, before answering), or another activation moved the record on: this
            // activation's record and ETag can no longer be trusted, and each later write would be
            // refused. A fresh activation reads what is stored; the queue's lease check dispatches it.
            DeactivateOnIdle();
        }
        finally
        {
            // Forgotten only now that its outcome reached the task (or could not): until then a lease
            // check finds the attempt running here and starts no other.
            body?.Dispose();
            if (slotTaken)
            {
                slots.Release();
            }

            attemptCancellation = null;
            cancellation.Dispose();
            completingAttempt = false;
            var startNext = startAfterAttempt;
            startAfterAttempt = default;
            if (startNext.Pending && !deactivating)
            {
                // (An activation going away takes no start: the queue's lease check reaches the task's next activation.)
                _ = StartAfterAttempt(startNext.Level);
            }
            else if (body is not { IsDetached: true } && (record is null || record.Status.IsFinal() || record.Status == OeeTaskStatus.Scheduled))
            {
                DeactivateOnIdle();
            }
        }
    }

    /// <summary>The start that came while the previous attempt was ending (see <see cref="Dispatched"/>), taken now.</summary>
    private async Task StartAfterAttempt(int? level)
    {
        try
        {
            await Dispatched(level);
        }
        catch (Exception ex)
        {
            // The queue's lease check starts it instead.
            LogStartAfterAttemptFailed(logger, ex, Id);
            DeactivateOnIdle();
        }
    }

    /// <summary>
    /// Waits for the body's outcome. With a timeout: when it passes the body's token fires, and a body
    /// that then stops (cancelled, or returning) is timed out; one that ignores its token for <see cref="OeeOptions.TimeoutGrace"/>
    /// more is abandoned (still running, perhaps, but no longer waited for: its slot is freed). A result
    /// returned before the timeout counts, and a cancel or a drain that stopped the body first wins.
    /// </summary>
    private async Task<TaskOutcome> AwaitBody(TaskRecord task, LocalAttempts.RunningAttempt body)
    {
        if (task.Timeout is not { } timeout)
        {
            return await body.Outcome;
        }

        var grace = options.Value.TimeoutGrace;
        using var deadline = new AttemptDeadline(body, timeout, grace, time);
        if (await Task.WhenAny(body.Outcome, deadline.GraceOver) != body.Outcome)
        {
            slots.CountAbandoned();
            LogAbandoned(logger, Id, task.Attempt, timeout, grace);
            return TaskOutcome.Abandoned(timeout, grace, task.Silo ?? "?");
        }

        var outcome = await body.Outcome;
        return deadline.Passed && outcome.Kind is TaskOutcomeKind.Cancelled or TaskOutcomeKind.Succeeded ? TaskOutcome.TimedOut(timeout) : outcome;
    }

    /// <summary>
    /// The body of an activation that went away ended: its task's current activation (wherever the
    /// directory places it now) applies the outcome, through the same state machine and version check.
    /// </summary>
    private Task ReportFromDetachedBody(int attempt, TaskOutcome outcome, bool handBack)
    {
        // Off this activation's scheduler: it is no longer valid, so the report is sent as any
        // non-grain code on the silo sends a call.
        var task = grains.Reference<ITaskEngineGrain>(Id);
        var id = Id;
        return Task.Run(() => Report(task, id, attempt, outcome, handBack));
    }

    private async Task Report(ITaskEngineGrain task, string id, int attempt, TaskOutcome outcome, bool handBack)
    {
        for (var tries = 1; ; tries++)
        {
            try
            {
                await task.ReportOutcome(attempt, outcome, handBack);
                return;
            }
            catch (Exception ex) when (tries < DetachedReportTries)
            {
                LogReportRetried(logger, ex, id, attempt, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(tries), time);
            }
        }
    }

    /// <summary>
    /// Applies a command: persist, index, then effects. Refused and unchanged commands touch nothing.
    /// One method from the lock to the leave (no inner async layer: each one that awaits costs a state
    /// machine and a continuation on the grain's scheduler, ~0.3-0.5 KiB per change).
    /// </summary>
    /// <param name="command">The command.</param>
    /// <param name="leaveLater">The attempt's own outcome: its queue leave may linger, outside the change lock (see TaskGrain.Leaving.cs).</param>
    private async Task<TaskTransition> Apply(TaskCommand command, bool leaveLater = false)
    {
        await changeLock.WaitAsync();
        TaskTransition transition;
        Task? left = null;
        try
        {
            await LeftBeforeNextChange();
            if (command is TaskCommand.Complete complete)
            {
                // The random part of a retry's backoff (RetryBackoff.Delay).
                command = complete with { JitterSample = Random.Shared.NextDouble() };
            }

            var before = record!;
            var now = time.GetUtcNow();
            transition = TaskStateMachine.Apply(before, command, now);
            if (transition.Kind != TransitionKind.Applied)
            {
                return transition;
            }

            // A task that became ready enters its queue before the record says queued (as at submit): a
            // record saying queued that no queue holds would never run.
            // Dispatched at once by that enqueue's answer on a silo with a slot free, it is stored running in the
            // same write, as a submitted task is (StartWithWrite).
            var enqueued = transition.Effects.HasFlag(TaskEffects.Enqueue) ? await EnqueueAtSequence(transition.Task) : null;
            var startedNow = enqueued is { StartNow: true } ? StartWithWrite(transition.Task) : null;
            var written = startedNow?.Task ?? transition.Task;

            // Persist's work, inline: one state machine fewer on every transition.
            try
            {
                etag = await store.Write(this.GetGrainId(), written, etag);
            }
            catch when (startedNow is not null)
            {
                slots.Release();
                throw;
            }

            record = written;
            SignalWaiters();
            ReportChange(before, transition.Task, command, now);

            if (transition.Effects.HasFlag(TaskEffects.NotifyDependents))
            {
                // Before leaving the queue: should this silo die in between, the queue's lease check
                // finds the task finished and tells the dependents again (see Start).
                NotifyDependents(transition.Task);
            }

            if (enqueued is not null)
            {
                // Started by its write or its enqueue's answer, the attempt waits for this change's lock.
                StartOrLetGo(enqueued, transition.Task, startedNow);
            }

            if (transition.Effects.HasFlag(TaskEffects.SignalCancellation))
            {
                if (attemptCancellation is { } own)
                {
                    own.Cancel();
                }
                else
                {
                    // The body outlived an older activation of this task and runs on where it started.
                    await whereabouts.TellToStop(transition.Task);
                }
            }

            if (transition.Effects.HasFlag(TaskEffects.CancelChildren))
            {
                CancelChildren();
            }

            if (transition.Effects.HasFlag(TaskEffects.ReturnToQueue))
            {
                await Queue(transition.Task.Queue).Requeue(Id);
            }

            if (transition.Effects.HasFlag(TaskEffects.Schedule))
            {
                var task = transition.Task;
                await Queue(task.Queue).Schedule(Id, task.Priority, task.NextRunAt!.Value, task.Sequence, task.ConcurrencyKey);
                LogRetryScheduled(logger, Id, task.Attempt, task.NextRunAt.Value, task.Error?.Type ?? "?");
            }

            if (transition.Effects.HasFlag(TaskEffects.Reenqueue))
            {
                var task = transition.Task;
                // Due now, at its original place in the queue.
                var placed = await Queue(task.Queue).Schedule(Id, task.Priority, time.GetUtcNow(), task.Sequence, task.ConcurrencyKey);
                if (!placed.Dispatched && attemptCancellation is null)
                {
                    DeactivateOnIdle();
                }
            }

            if (transition.Effects.HasFlag(TaskEffects.LeaveQueue))
            {
                // A queued task cancelled before its dispatch was taken also stops waiting for a slot.
                attemptCancellation?.Cancel();
                if (leaveLater)
                {
                    // Awaited below once the change lock is free, then the final-status check.
                    StartLeave(transition.Task.Queue);
                    left = leaving;
                }
                else
                {
                    await leaves.Leave(transition.Task.Queue, Id);
                }
            }

            if (left is null && transition.Task.Status.IsFinal() && attemptCancellation is null)
            {
                DeactivateOnIdle();
            }
        }
        finally
        {
            changeLock.Release();
        }

        if (left is not null)
        {
            await left;
            AfterLeft(transition);
        }

        return transition;
    }

    /// <summary>
    /// Writes the record (and, through the store, its index entry); the activation takes it as its
    /// own only once written. A never-persisted task whose summary landed is dropped from the index
    /// when its queue entry finds no record.
    /// </summary>
    private async Task Persist(TaskRecord next)
    {
        etag = await store.Write(this.GetGrainId(), next, etag);
        record = next;
        SignalWaiters();
    }

    // Reporting a detached body's outcome: tries over about 10 seconds, then the attempt counts as lost
    // and the queue's lease check recovers it.
    private const int DetachedReportTries = 5;

    private IQueueEngineGrain Queue(string name) => queues.Of(name);

    /// <summary>A persisted change, told: its event, its log line and its metrics.</summary>
    private void ReportChange(TaskRecord before, TaskRecord after, TaskCommand command, DateTimeOffset at)
    {
        events.Changed(before, after, command, at);
        LogTransition(logger, Id, after.Status, after.Attempt);
        OeeMetrics.TaskChanged(before, command, after, time.GetUtcNow());
    }

    private bool SiloTerminating() => stopping.IsStopping;

    // No body begins in an activation that is going away, nor on a silo that is stopping: both RunAttempt's
    // hand-back of a dispatch given its slot late and its last check before the body starts.
    private bool NoBodyStartsHere() => deactivating || SiloTerminating();

    // Why an attempt's body did not begin, for its hand-back's log line.
    private string UnrunReason() =>
        deactivating ? "its activation is going away" : SiloTerminating() ? "this silo is stopping" : "this silo's worker did not take it";

    [LoggerMessage(Level = LogLevel.Debug, Message = "Task {TaskId} submitted to queue {Queue} (priority {Priority}, sequence {Sequence})")]
    private static partial void LogSubmitted(ILogger logger, string taskId, string queue, int priority, long sequence);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} retried by request: queued for attempt {Attempt}")]
    private static partial void LogRetried(ILogger logger, string taskId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId} could not take the start its queue sent while its previous attempt ended; the queue's lease check starts it")]
    private static partial void LogStartAfterAttemptFailed(ILogger logger, Exception exception, string taskId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Task {TaskId} attempt {Attempt} failed ({ErrorType}): retried at {NextRunAt}")]
    private static partial void LogRetryScheduled(ILogger logger, string taskId, int attempt, DateTimeOffset nextRunAt, string errorType);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Task {TaskId} is now {Status} (attempt {Attempt})")]
    private static partial void LogTransition(ILogger logger, string taskId, OeeTaskStatus status, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} attempt {Attempt}: its activation is deactivating ({Reason}) while this silo runs on: the body runs on and reports its outcome to the task's next activation")]
    private static partial void LogDetached(ILogger logger, string taskId, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId} attempt {Attempt}: the outcome of a body that outlived its activation could not be reported yet ({Reason}); trying again")]
    private static partial void LogReportRetried(ILogger logger, Exception exception, string taskId, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId} attempt {Attempt}: the body ran past its timeout ({Timeout}) and ignored its cancellation for {Grace}: abandoned, its slot freed; it may still be running")]
    private static partial void LogAbandoned(ILogger logger, string taskId, int attempt, TimeSpan timeout, TimeSpan grace);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} is deactivating ({Reason}) with its body running: draining")]
    private static partial void LogDraining(ILogger logger, string taskId, string reason);

    // Not an Error: the task is safe in its last persisted state, and its queue's lease check
    // carries it on (storage back, or a newer activation already holds it); nothing for an operator to do.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId}: an attempt could not be carried through ({Reason}); the task keeps its last persisted state and its queue's lease check carries it on")]
    private static partial void LogAttemptFailed(ILogger logger, Exception exception, string taskId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} attempt {Attempt} handed back to queue {Queue}: its body was still running when the drain time ({DrainTimeout}) ended")]
    private static partial void LogHandedBack(ILogger logger, string taskId, int attempt, string queue, TimeSpan drainTimeout);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} attempt {Attempt} handed back to queue {Queue} before its body started ({Reason}); the attempt is not counted")]
    private static partial void LogHandedBackUnrun(ILogger logger, string taskId, int attempt, string queue, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId} attempt {Attempt} was lost with silo {Silo} (no silo runs it): recovering as the next attempt, or as an error when its attempts are used up")]
    private static partial void LogAttemptLost(ILogger logger, string taskId, int attempt, string silo);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} attempt {Attempt} is not recovered: silo {Silo} reports it {State}; asked again at the next lease check")]
    private static partial void LogAttemptElsewhere(ILogger logger, string taskId, int attempt, string silo, AttemptState state);
}
