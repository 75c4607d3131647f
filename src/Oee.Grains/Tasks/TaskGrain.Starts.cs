using Oee.Grains.Contracts;
using Oee.Grains.Telemetry;

namespace Oee.Grains.Tasks;

/// <summary>
/// A submit whose queue dispatched the task at once (<see cref="Queues.EnqueueResult.StartNow"/>): the
/// task starts itself, without a start call back from its queue, and when a worker slot is free at
/// once its first write already records the start (one write instead of two).
/// </summary>
internal sealed partial class TaskGrain
{
    private string? siloName;

    /// <summary>
    /// With a worker slot free now (taken here; released by the attempt, or by the submit if its write
    /// fails) and this silo not stopping: the accepted task's start, through the state machine as any
    /// start, to be persisted as the submit's write. Null otherwise: the task is persisted as queued and
    /// its attempt waits for a slot as any dispatched task does.
    /// </summary>
    private StartedAtSubmit? StartAtSubmit(TaskRecord accepted)
    {
        if (SiloTerminating() || !slots.TryTake())
        {
            return null;
        }

        var command = new TaskCommand.Start(SiloName, RecoverLostAttempt: false);
        var at = time.GetUtcNow();
        var transition = TaskStateMachine.Apply(accepted, command, at);
        if (transition.Kind != TransitionKind.Applied || transition.Task.Status != OeeTaskStatus.Running)
        {
            slots.Release();
            return null;
        }

        return new StartedAtSubmit(transition.Task, command, at);
    }

    /// <summary>
    /// Starts the attempt the queue's answer to the enqueue dispatched, as <see cref="ITaskEngineGrain.Start"/>
    /// starts a queued task; <paramref name="started"/>: its start is persisted already (reported here,
    /// after the submit's own event). On a stopping silo it starts nothing: the queue holds the
    /// dispatch, and its lease check brings the task to an activation elsewhere.
    /// </summary>
    private void StartHandedOver(TaskRecord accepted, StartedAtSubmit? started)
    {
        if (started is { } start)
        {
            events.Changed(accepted, start.Task, start.Command, start.At);
            LogTransition(logger, Id, start.Task.Status, start.Task.Attempt);
            OeeMetrics.TaskChanged(accepted, start.Command, start.Task, start.At);
        }
        else if (attemptCancellation is not null)
        {
            return;
        }
        else if (SiloTerminating())
        {
            DeactivateOnIdle();
            return;
        }

        attemptCancellation = new CancellationTokenSource();
        DelayDeactivation(Timeout.InfiniteTimeSpan);
        currentAttempt = RunAttempt(attemptCancellation, recover: false, started?.Task);
    }

    /// <summary>Waits for a worker slot, then marks the task running; null (the slot released again) when it does not start.</summary>
    private async Task<TaskRecord?> TakeSlotAndStart(CancellationTokenSource cancellation, bool recover)
    {
        await slots.WaitAsync(cancellation.Token);
        try
        {
            if (SiloTerminating() && record is { Status: OeeTaskStatus.Queued } waiting)
            {
                // Dispatched before this silo began to stop, given a slot after: hand the dispatch back.
                await Queue(waiting.Queue).Requeue(Id);
                slots.Release();
                return null;
            }

            var start = await Apply(new TaskCommand.Start(SiloName, recover));
            if (start.Kind != TransitionKind.Applied || start.Task.Status != OeeTaskStatus.Running)
            {
                slots.Release();
                return null;
            }

            return start.Task;
        }
        catch
        {
            slots.Release();
            throw;
        }
    }

    private string SiloName => siloName ??= silo.SiloAddress.ToParsableString();

    /// <summary>A start recorded with the submit's write: the running record, the command and when.</summary>
    private readonly record struct StartedAtSubmit(TaskRecord Task, TaskCommand.Start Command, DateTimeOffset At);
}
