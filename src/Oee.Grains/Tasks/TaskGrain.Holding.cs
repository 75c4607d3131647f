using Oee.Grains.Contracts;

namespace Oee.Grains.Tasks;

/// <summary>
/// An activation kept for a while (<see cref="WaitingTaskHolds"/>) when it is likely to be called again soon: a
/// task waiting for its dependencies, which a dependency that finishes soon then finds active (it applies what
/// it learns without a new activation or a read of its record); and a task not yet submitted that a dependency
/// told it finished (a batch registers its dependents with their dependencies before it submits them), whose
/// submit, usually a moment behind, then finds it active. When the silo's budget is spent, or the hold time
/// passes, the activation goes, as it always did; nothing else depends on it being kept.
/// </summary>
internal sealed partial class TaskGrain
{
    // The bytes this activation is charged while kept waiting (0: not kept), and the timer that ends the hold.
    private long holdCharge;
    private IGrainTimer? holdTimer;

    /// <summary>
    /// A waiting task, or a task not yet submitted, is done with its call: its activation is kept if the budget
    /// allows it, else it goes; a task that is neither lets its activation go.
    /// </summary>
    private void KeepOrLetGo()
    {
        var keepable = record is null or { Status: OeeTaskStatus.Waiting };
        var charge = record is null ? WaitingTaskHolds.BaseCharge : WaitingTaskHolds.ChargeOf(record);
        if (holdCharge > 0)
        {
            // Told again before its submit: its hold goes on. Otherwise what it was charged for has changed (it was
            // submitted since, or one of its dependencies finished): the hold is given back, and taken again from now.
            if (record is null)
            {
                return;
            }

            StopHolding();
        }

        var holds = services.Holds;
        if (keepable && !deactivating && holds.TryHold(charge))
        {
            holdCharge = charge;
            holdTimer = this.RegisterGrainTimer(
                static (self, cancelled) => cancelled.IsCancellationRequested ? Task.CompletedTask : self.HoldEnded(),
                this,
                new GrainTimerCreationOptions(holds.HoldTime, Timeout.InfiniteTimeSpan) { KeepAlive = false });
            return;
        }

        DeactivateOnIdle();
    }

    /// <summary>The hold time passed: a task still waiting, still not submitted, or finished meanwhile lets its activation go.</summary>
    private Task HoldEnded()
    {
        StopHolding();
        if (record is null || record.Status == OeeTaskStatus.Waiting || (record.Status.IsFinal() && currentAttempt is not { IsCompleted: false }))
        {
            DeactivateOnIdle();
        }

        return Task.CompletedTask;
    }

    /// <summary>The task no longer waits, or its activation goes: what it was charged goes back to the budget.</summary>
    private void StopHolding()
    {
        if (holdCharge > 0)
        {
            services.Holds.Release(holdCharge);
            holdCharge = 0;
        }

        holdTimer?.Dispose();
        holdTimer = null;
    }
}
