namespace Oee.Grains.Tasks;

/// <summary>A submit whose queue dispatched the task at once: the task starts itself, without a start call back from its queue.</summary>
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

        attemptCancellation = new CancellationTokenSource();
        DelayDeactivation(Timeout.InfiniteTimeSpan);
        currentAttempt = RunAttempt(attemptCancellation, recover: false);
    }
}
