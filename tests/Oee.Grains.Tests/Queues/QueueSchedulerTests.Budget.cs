using Oee.Grains.Contracts;
using Oee.Grains.Queues;

namespace Oee.Grains.Tests.Queues;

/// <summary>Several queues of one silo dispatching within one <see cref="DispatchBudget"/>.</summary>
public sealed partial class QueueSchedulerTests
{
    [Fact]
    public void Queues_sharing_a_budget_dispatch_the_slots_between_them_instead_of_each_taking_them_all()
    {
        var budget = new DispatchBudget();
        var first = SchedulerWithBacklog(budget, slots: 4, "a", 6);
        var second = SchedulerWithBacklog(budget, slots: 4, "b", 6);

        Assert.Equal(4, first.TakeStarts(Now).Count);
        Assert.False(first.HeldByBudget);

        // Holding none, the second queue gets one; then one more (a share is 4 / 2) and is held.
        Assert.Equal(["b0", "b1"], Ids(second.TakeStarts(Now)));
        Assert.True(second.HeldByBudget);
        Assert.Equal(6, budget.Taken);

        // The first queue, above its share, does not take back the unit of a task that leaves.
        first.Leave("a0");
        Assert.Empty(first.TakeStarts(Now));
        Assert.True(first.HeldByBudget);
        first.Leave("a1");
        first.Leave("a2");
        Assert.Equal(["a4"], Ids(first.TakeStarts(Now)));
        Assert.Equal((2, 2), (first.Running.Count, second.Running.Count));
    }

    [Fact]
    public void A_higher_priority_backlog_is_dispatched_past_a_budget_full_of_lower_ones()
    {
        var budget = new DispatchBudget();
        var low = SchedulerWithBacklog(budget, slots: 2, "low", 4, priority: 1);
        Assert.Equal(2, low.TakeStarts(Now).Count);

        // The budget's limit of 2 is taken at priority 1; priority 8 counts none of them.
        var high = SchedulerWithBacklog(budget, slots: 2, "high", 4, priority: 8);
        Assert.Equal(["high0", "high1"], Ids(high.TakeStarts(Now)));
        Assert.Equal(4, budget.Taken);

        // The lower queue counts the higher one's: a leave of its own gives it no unit back.
        low.Leave("low0");
        Assert.Empty(low.TakeStarts(Now));
        Assert.True(low.HeldByBudget);
    }

    [Fact]
    public void Units_come_back_when_tasks_leave_or_return_to_the_backlog_and_when_the_queue_gives_all_back()
    {
        var budget = new DispatchBudget();
        var scheduler = SchedulerWithBacklog(budget, slots: 10, "t", 3);
        Assert.Equal(3, scheduler.TakeStarts(Now).Count);
        Assert.Equal((3, 1), (budget.Taken, budget.Holders));

        scheduler.Leave("t0");
        scheduler.Requeue("t1");
        Assert.Equal(1, budget.Taken);

        scheduler.ReturnBudget();
        Assert.Equal((0, 0), (budget.Taken, budget.Holders));

        // Its tasks stay dispatched, their leaves later give nothing back twice, and it takes no more units.
        Assert.Single(scheduler.Running);
        scheduler.Leave("t2");
        scheduler.Enqueue("later", 0);
        Assert.Equal(["t1", "later"], Ids(scheduler.TakeStarts(Now)));
        Assert.Equal(0, budget.Taken);
    }

    [Fact]
    public void Held_by_the_budget_a_task_enqueueing_itself_alone_still_starts_without_a_unit()
    {
        var budget = new DispatchBudget();
        var other = SchedulerWithBacklog(budget, slots: 2, "o", 2);
        Assert.Equal(2, other.TakeStarts(Now).Count);

        var scheduler = SchedulerWithBacklog(budget, slots: 2, "t", 1);
        Assert.Single(scheduler.TakeStarts(Now));
        scheduler.Enqueue("alone", 0);
        Assert.Empty(scheduler.TakeStarts(Now));
        Assert.True(scheduler.HeldByBudget);
        Assert.Equal(["alone"], Ids(scheduler.TakeStarts(Now, justAdded: "alone")));
        Assert.Equal(3, budget.Taken);

        // It took no unit, so its leave gives none back.
        scheduler.Leave("alone");
        Assert.Equal(3, budget.Taken);
    }

    [Fact]
    public void A_task_aged_to_the_head_counts_at_its_level_not_behind_lower_priorities()
    {
        var budget = new DispatchBudget();
        var other = SchedulerWithBacklog(budget, slots: 2, "five", 2, priority: 5);
        Assert.Equal(2, other.TakeStarts(Now).Count);

        // Its first task goes (the queue held none); the priority-0 one is held back by the two at priority 5.
        var aged = new QueueScheduler(defaultMaxConcurrency: 100, new QueueSettingsUpdate { AgingInterval = TimeSpan.FromSeconds(1) })
        {
            SlotLimit = 2,
            Budget = budget,
        };
        aged.Enqueue("first", 9, now: Now);
        aged.Enqueue("old", 0, now: Now);
        Assert.Equal(["first"], Ids(aged.TakeStarts(Now)));
        Assert.True(aged.HeldByBudget);

        // Ten seconds on it has aged to level 10, ahead of a new priority-9 task: nothing at 10 or above holds it back.
        aged.Enqueue("nine", 9, now: Now.AddSeconds(10));
        Assert.Equal(["old"], Ids(aged.TakeStarts(Now.AddSeconds(10))));

        // It gives back the unit it took, at its level.
        aged.Leave("old");
        Assert.Equal(3, budget.Taken);
    }

    [Fact]
    public void A_start_rate_without_a_token_gives_the_unit_back()
    {
        var budget = new DispatchBudget();
        var scheduler = new QueueScheduler(defaultMaxConcurrency: 100, new QueueSettingsUpdate { StartRate = 1, StartBurst = 1 })
        {
            SlotLimit = 10,
            Budget = budget,
        };
        scheduler.Enqueue("a", 0);
        scheduler.Enqueue("b", 0);
        Assert.Equal(["a"], Ids(scheduler.TakeStarts(Now)));
        Assert.Equal(1, budget.Taken);
        Assert.False(scheduler.HeldByBudget);
        Assert.NotNull(scheduler.NextStartDelay(Now));
    }

    [Fact]
    public void Without_a_slot_limit_the_budget_is_not_consulted()
    {
        var budget = new DispatchBudget();
        var scheduler = new QueueScheduler(defaultMaxConcurrency: 5) { Budget = budget };
        foreach (var id in new[] { "a", "b", "c" })
        {
            scheduler.Enqueue(id, 0);
        }

        Assert.Equal(3, scheduler.TakeStarts(Now).Count);
        Assert.Equal(0, budget.Taken);
    }

    // A queue allowing 100 at once, within the given slots and budget, with count tasks "{prefix}{i}" waiting.
    private static QueueScheduler SchedulerWithBacklog(DispatchBudget budget, int slots, string prefix, int count, int priority = 0)
    {
        var scheduler = new QueueScheduler(defaultMaxConcurrency: 100) { SlotLimit = slots, Budget = budget };
        for (var i = 0; i < count; i++)
        {
            scheduler.Enqueue($"{prefix}{i}", priority);
        }

        return scheduler;
    }
}
