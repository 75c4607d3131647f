using Oee.Grains.Contracts;

namespace Oee.Grains.Tasks;

/// <summary>
/// Leaving the queue after the attempt's own outcome: the leave may linger in <see cref="Queues.QueueLeaves"/>
/// (riding on the silo's next enqueue to the same queue, or at most <see cref="Configuration.OeeOptions.QueueLeaveLinger"/>),
/// so it is not waited for under the change lock: a read of the finished task is answered meanwhile.
/// The attempt waits for it (the activation stays until its queue took the leave); anything that does
/// wait for it — the task's next change, which must never overtake it, or a deactivation — sends it at once.
/// A leave asked for by a request (a cancel), or after a cancelled body, never lingers and is awaited
/// under the lock as before.
/// </summary>
internal sealed partial class TaskGrain
{
    // The attempt's leave under way, and its queue (set under the change lock).
    private Task? leaving;
    private string? leavingQueue;

    /// <summary>Under the change lock: the leave goes to <see cref="Queues.QueueLeaves"/>, which may let it linger.</summary>
    private void StartLeave(string queue)
    {
        leavingQueue = queue;
        leaving = leaves.Leave(queue, Id, linger: true);
    }

    /// <summary>Outside the lock, once the leave is done: the check the change would have made after it.</summary>
    private void AfterLeft(TaskTransition transition)
    {
        if (transition.Task.Status.IsFinal() && attemptCancellation is null)
        {
            DeactivateOnIdle();
        }
    }

    /// <summary>Under the change lock, before any change: a leave still under way is sent at once and waited for.</summary>
    private async Task LeftBeforeNextChange()
    {
        if (leaving is not { } previous)
        {
            return;
        }

        if (!previous.IsCompleted)
        {
            HurryLeave();
            try
            {
                await previous;
            }
            catch (Exception)
            {
                // Reported to the attempt that started it; the queue's lease check recovers a lost leave.
            }
        }

        leaving = null;
        leavingQueue = null;
    }

    /// <summary>Something waits for the leave under way (if any): it goes now.</summary>
    private void HurryLeave()
    {
        if (leaving is { IsCompleted: false } && leavingQueue is { } queue)
        {
            leaves.Hurry(queue);
        }
    }
}
