using Oee.Grains.Contracts;
using Oee.Grains.Queues;

namespace Oee.Grains.Tests.Queues;

/// <summary>The cluster's worker slots as a second limit on what a queue dispatches (<c>Oee:DispatchWithinSlots</c>).</summary>
public sealed partial class QueueSchedulerTests
{
    [Fact]
    public void With_fewer_slots_than_the_limit_the_slots_bound_the_starts_and_a_leave_frees_the_next()
    {
        var scheduler = new QueueScheduler(defaultMaxConcurrency: 10) { SlotLimit = 2 };
        foreach (var (id, priority) in new[] { ("a", 1), ("b", 9), ("c", 5), ("d", 7) })
        {
            scheduler.Enqueue(id, priority);
        }

        Assert.Equal(["b", "d"], Ids(scheduler.TakeStarts(Now)));
        Assert.Empty(scheduler.TakeStarts(Now));
        scheduler.Leave("b");
        Assert.Equal(["c"], Ids(scheduler.TakeStarts(Now)));

        // The configured limit still says what the queue allows.
        Assert.Equal(10, scheduler.MaxConcurrency);
    }

    [Fact]
    public void The_lower_of_the_limit_and_the_slots_applies_and_no_slot_limit_leaves_the_limit_alone()
    {
        var scheduler = new QueueScheduler(defaultMaxConcurrency: 2) { SlotLimit = 5 };
        foreach (var id in new[] { "a", "b", "c" })
        {
            scheduler.Enqueue(id, 0);
        }

        Assert.Equal(["a", "b"], Ids(scheduler.TakeStarts(Now)));

        var unlimited = new QueueScheduler(defaultMaxConcurrency: 3);
        foreach (var id in new[] { "a", "b", "c", "d" })
        {
            unlimited.Enqueue(id, 0);
        }

        Assert.Equal(["a", "b", "c"], Ids(unlimited.TakeStarts(Now)));
    }

    [Fact]
    public void Slots_counted_more_after_a_silo_joins_start_more_at_once()
    {
        var scheduler = new QueueScheduler(defaultMaxConcurrency: 10) { SlotLimit = 1 };
        foreach (var id in new[] { "a", "b", "c" })
        {
            scheduler.Enqueue(id, 0);
        }

        Assert.Equal(["a"], Ids(scheduler.TakeStarts(Now)));
        scheduler.SlotLimit = 3;
        Assert.Equal(["b", "c"], Ids(scheduler.TakeStarts(Now)));
    }

    [Fact]
    public void A_start_rate_waiting_only_for_slots_asks_for_no_timer()
    {
        var scheduler = new QueueScheduler(defaultMaxConcurrency: 10, new QueueSettingsUpdate { StartRate = 100, StartBurst = 10 }) { SlotLimit = 1 };
        scheduler.Enqueue("a", 0);
        scheduler.Enqueue("b", 0);
        Assert.Equal(["a"], Ids(scheduler.TakeStarts(Now)));
        Assert.Null(scheduler.NextStartDelay(Now));
    }

    [Fact]
    public void Past_the_slots_a_task_enqueueing_itself_starts_only_when_nothing_else_waits()
    {
        var scheduler = new QueueScheduler(defaultMaxConcurrency: 10) { SlotLimit = 1 };
        scheduler.Enqueue("first", 0);
        Assert.Equal(["first"], Ids(scheduler.TakeStarts(Now, justAdded: "first")));

        // At the slot limit: alone in the backlog and enqueueing itself, it starts; the same entry dispatched
        // from the backlog later (no justAdded) does not.
        scheduler.Enqueue("second", 0);
        Assert.Empty(scheduler.TakeStarts(Now));
        Assert.Equal(["second"], Ids(scheduler.TakeStarts(Now, justAdded: "second")));

        // With another task waiting, it waits too, in the queue's order.
        scheduler.Enqueue("waiting", 9);
        scheduler.Enqueue("third", 0);
        Assert.Empty(scheduler.TakeStarts(Now, justAdded: "third"));
        scheduler.Leave("first");
        Assert.Equal(["waiting"], Ids(scheduler.TakeStarts(Now)));
        Assert.Equal(["third"], Ids(scheduler.Waiting));
    }

    [Fact]
    public void A_higher_priority_task_back_in_the_backlog_is_dispatched_past_the_tasks_that_started_beyond_the_slots()
    {
        var scheduler = new QueueScheduler(defaultMaxConcurrency: 10) { SlotLimit = 1 };
        scheduler.Enqueue("within", 0);
        Assert.Equal(["within"], Ids(scheduler.TakeStarts(Now, justAdded: "within")));
        scheduler.Enqueue("past", 0);
        Assert.Equal(["past"], Ids(scheduler.TakeStarts(Now, justAdded: "past")));

        // Comes due (no justAdded): the slots are taken by the one dispatched within them.
        scheduler.Enqueue("due", 9);
        Assert.Empty(scheduler.TakeStarts(Now));

        // That one leaves: "past" does not count against the slots, so "due" goes now and takes the next slot on its
        // silo by its priority.
        scheduler.Leave("within");
        Assert.Equal(["due"], Ids(scheduler.TakeStarts(Now)));

        // Once "past" has left, it counts nowhere.
        scheduler.Leave("past");
        scheduler.Enqueue("next", 0);
        Assert.Empty(scheduler.TakeStarts(Now));
        scheduler.Leave("due");
        Assert.Equal(["next"], Ids(scheduler.TakeStarts(Now)));
    }
}
