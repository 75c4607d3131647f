using Oee.Grains.Contracts;
using Oee.Grains.Queues;

namespace Oee.Grains.Tasks;

/// <summary>
/// A task its queue dispatched at once when it entered it (at submit, or made ready by its last dependency): the task
/// starts itself, without a start call back from its queue, in the write that stored it when it can.
/// </summary>
internal sealed partial class TaskGrain
{
    /// <summary>
    /// Starts the attempt the queue's answer to the enqueue dispatched (<see cref="Queues.EnqueueResult.StartNow"/>),
    /// as <see cref="ITaskEngineGrain.Start"/> starts a queued task. On a stopping silo it starts
    /// nothing: the queue holds the dispatch, and its lease check brings the task to an activation elsewhere.
    /// </summary>
    private void StartHandedOver()
    {
        if (attemptCancellation is not null)
        {
            return;
        }

        if (SiloTerminating())
        {
            DeactivateOnIdle();
            return;
        }

        BeginAttempt(startedInWrite: null);
    }

    /// <summary>
    /// After an enqueue whose record is written: a task whose write already carried its start (<paramref name="started"/>,
    /// see <see cref="StartWithWrite"/>) reports it and runs its body; else a task the answer dispatched
    /// (<see cref="EnqueueResult.StartNow"/>) starts itself; one its queue holds and will start with a call lets its
    /// activation go meanwhile (a million queued tasks need not hold a million activations); one already dispatched keeps it.
    /// </summary>
    /// <param name="placed">The queue's answer to the enqueue.</param>
    /// <param name="queued">The record as it entered its queue (before the start the write carried, if any).</param>
    /// <param name="started">The start the write carried, or null.</param>
    private void StartOrLetGo(EnqueueResult placed, TaskRecord queued, WrittenStart? started)
    {
        if (started is not null)
        {
            ReportChange(queued, started.Task, started.Command, started.At);
            BeginAttempt(started.Task);
        }
        else if (placed.StartNow)
        {
            StartHandedOver();
        }
        else if (!placed.Dispatched)
        {
            DeactivateOnIdle();
        }
    }

    /// <summary>Runs an attempt in this activation, which stays until it ends; <paramref name="startedInWrite"/>: see <see cref="RunAttempt"/>.</summary>
    private void BeginAttempt(TaskRecord? startedInWrite)
    {
        attemptCancellation = new CancellationTokenSource();
        DelayDeactivation(Timeout.InfiniteTimeSpan);
        currentAttempt = RunAttempt(attemptCancellation, recover: false, startedInWrite);
    }

    /// <summary>
    /// A task its queue dispatched at once, on a silo with a body slot free now, starts with its
    /// submit: the record's first write is already the running one (attempt 1 on this silo), so the
    /// submit and the start share one write instead of two in sequence. So does a waiting task whose last
    /// dependency finished (its <c>Apply</c>): the write that makes it ready is the running one. Takes the slot; null (and no
    /// slot) when the task must start the usual way (<see cref="StartHandedOver"/>). Safe as the start
    /// after a separate write is: should this silo die once that write is committed, the record says
    /// running on a dead silo and the queue's lease check recovers the attempt.
    /// </summary>
    private WrittenStart? StartWithWrite(TaskRecord accepted)
    {
        if (attemptCancellation is not null || SiloTerminating() || !slots.TryTake())
        {
            return null;
        }

        var command = new TaskCommand.Start(silo.SiloAddress.ToParsableString(), RecoverLostAttempt: false);
        var now = time.GetUtcNow();
        var transition = TaskStateMachine.Apply(accepted, command, now);
        if (transition.Kind != TransitionKind.Applied || transition.Task.Status != OeeTaskStatus.Running)
        {
            slots.Release();
            return null;
        }

        return new WrittenStart(transition.Task, command, now);
    }

    /// <summary>
    /// The submit's write of <paramref name="first"/> (the accepted record, or the running one when it started
    /// at once), answering the new ETag; in durable mode with the task's queue entry in the same transaction
    /// when its queue left that to the task (<see cref="EnqueueResult.EntryLeftToCaller"/>), so the entry and
    /// the record are durable together. The store's own task, awaited by the submit (no layer of its own).
    /// </summary>
    private Task<string> WriteSubmitted(TaskRecord accepted, TaskRecord first, EnqueueResult placed)
    {
        if (!placed.EntryLeftToCaller)
        {
            return store.Write(this.GetGrainId(), first, etag);
        }

        var entry = new QueueEntry(
            Id,
            Math.Clamp(accepted.Priority, TaskLimits.MinPriority, TaskLimits.MaxPriority),
            accepted.Sequence,
            accepted.ConcurrencyKey,
            accepted.CreatedAt);
        return store.WriteNew(this.GetGrainId(), first, accepted.Queue, entry);
    }

    /// <summary>A start carried by the write that stored the task: the running record, the command and when it applied.</summary>
    private sealed record WrittenStart(TaskRecord Task, TaskCommand.Start Command, DateTimeOffset At);
}
