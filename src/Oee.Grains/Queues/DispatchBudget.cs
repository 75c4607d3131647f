using Oee.Grains.Contracts;

namespace Oee.Grains.Queues;

/// <summary>
/// What the queues on this silo have dispatched from their backlogs and not yet seen leave, counted together
/// per priority (<c>Oee:DispatchWithinSlots</c>). Each queue keeps its own dispatch within the cluster's slots
/// (<see cref="QueueScheduler.SlotLimit"/>); without a shared count, fifty queues with backlogs would send the
/// silos fifty times that, and every task past the slots waits on its silo for one, holding its activation
/// (a 200,000-task backlog over 50 queues allowing 10,000 each drained at 0.6 of one queue's rate, a fifth of the
/// time in collections).
/// <para>
/// A queue takes a unit for each task it dispatches from its backlog (<see cref="TryTake"/>) and gives it back
/// when the task leaves or comes back (<see cref="Return"/>). A task of priority p (its queue passes its level, the
/// priority raised by aging) gets one while fewer than the
/// limit of priority p or higher are dispatched: tasks of lower priorities never hold back a higher one, which
/// then takes the next slot on its silo before them. Past that, and up to twice the limit, a queue still gets one
/// while it holds fewer than its fair share (the limit over the queues holding any), so that a queue of long
/// bodies is not starved by one whose fast bodies take back every unit they return (a queue above its share takes
/// none back, so the shares even out as tasks leave); and a queue holding none always gets one. So at p and above
/// at most twice the limit are dispatched, plus one per queue. The count is the silo's own: queues on other silos
/// have counts of their own.
/// </para>
/// </summary>
internal sealed class DispatchBudget
{
    private readonly Lock gate = new();
    private readonly int[] byPriority = new int[TaskLimits.MaxPriority + 1];

    // The queues holding at least one unit.
    private int holders;

    /// <summary>Units taken and not returned, all priorities.</summary>
    public int Taken
    {
        get
        {
            lock (gate)
            {
                return byPriority.Sum();
            }
        }
    }

    /// <summary>The queues holding at least one unit.</summary>
    public int Holders
    {
        get
        {
            lock (gate)
            {
                return holders;
            }
        }
    }

    /// <summary>
    /// Takes a unit for a task of <paramref name="priority"/> of a queue that holds <paramref name="held"/> now,
    /// within <paramref name="limit"/> (the cluster's slots and half as many again); false: the queue should
    /// dispatch no more for now.
    /// </summary>
    public bool TryTake(int priority, int held, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(held);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        priority = Math.Clamp(priority, TaskLimits.MinPriority, TaskLimits.MaxPriority);
        lock (gate)
        {
            var dispatched = AtOrAbove(priority);
            if (held > 0 && dispatched >= limit && (dispatched >= 2 * limit || held >= Math.Max(1, limit / Math.Max(1, holders))))
            {
                return false;
            }

            if (held == 0)
            {
                holders++;
            }

            byPriority[priority]++;
            return true;
        }
    }

    /// <summary>
    /// Gives back a unit of <paramref name="priority"/>; <paramref name="held"/>: what the queue holds after it. False
    /// (and nothing changes) when no unit of that priority is taken: a slip of the accounting must not fail a task's leave.
    /// </summary>
    public bool Return(int priority, int held)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(held);
        priority = Math.Clamp(priority, TaskLimits.MinPriority, TaskLimits.MaxPriority);
        lock (gate)
        {
            if (byPriority[priority] == 0)
            {
                return false;
            }

            byPriority[priority]--;
            if (held == 0 && holders > 0)
            {
                holders--;
            }

            return true;
        }
    }

    // Under the lock.
    private int AtOrAbove(int priority)
    {
        var count = 0;
        for (var p = priority; p < byPriority.Length; p++)
        {
            count += byPriority[p];
        }

        return count;
    }
}
