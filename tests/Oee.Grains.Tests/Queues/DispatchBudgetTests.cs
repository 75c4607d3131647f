using Oee.Grains.Queues;

namespace Oee.Grains.Tests.Queues;

/// <summary>The silo's count of what its queues dispatched: within a limit per priority and above, a fair share past it up to twice the limit.</summary>
public sealed class DispatchBudgetTests
{
    [Fact]
    public void Units_go_up_to_the_limit_then_a_queue_at_its_share_gets_none_until_one_comes_back()
    {
        var budget = new DispatchBudget();
        for (var held = 0; held < 3; held++)
        {
            Assert.True(budget.TryTake(priority: 0, held, limit: 3));
        }

        Assert.False(budget.TryTake(0, held: 3, limit: 3));
        budget.Return(0, held: 2);
        Assert.True(budget.TryTake(0, held: 2, limit: 3));
        Assert.Equal((3, 1), (budget.Taken, budget.Holders));
    }

    [Fact]
    public void A_queue_holding_none_always_gets_one()
    {
        var budget = new DispatchBudget();
        Assert.True(budget.TryTake(0, held: 0, limit: 1));
        Assert.True(budget.TryTake(0, held: 0, limit: 1));
        Assert.True(budget.TryTake(0, held: 0, limit: 1));
        Assert.Equal((3, 3), (budget.Taken, budget.Holders));
    }

    [Fact]
    public void Lower_priorities_never_hold_back_a_higher_one_but_a_higher_one_holds_back_the_lower()
    {
        var budget = new DispatchBudget();
        Assert.True(budget.TryTake(2, held: 0, limit: 2));
        Assert.True(budget.TryTake(2, held: 1, limit: 2));

        // A second queue's priority-7 tasks count only what is dispatched at 7 and above.
        Assert.True(budget.TryTake(7, held: 0, limit: 2));
        Assert.True(budget.TryTake(7, held: 1, limit: 2));
        Assert.False(budget.TryTake(7, held: 2, limit: 2));

        // The first queue, at priority 2, now sees four dispatched at 2 and above, and holds more than its share.
        Assert.False(budget.TryTake(2, held: 2, limit: 2));
    }

    [Fact]
    public void Past_the_limit_a_queue_below_its_fair_share_still_gets_units()
    {
        var budget = new DispatchBudget();

        // One queue took the whole limit of 4; a second one takes its first unit (holding none).
        for (var held = 0; held < 4; held++)
        {
            Assert.True(budget.TryTake(0, held, limit: 4));
        }

        Assert.True(budget.TryTake(0, held: 0, limit: 4));

        // Two queues hold units: a share is 4 / 2 = 2. The second queue gets its second unit, not a third;
        // the first, above its share, gets none.
        Assert.True(budget.TryTake(0, held: 1, limit: 4));
        Assert.False(budget.TryTake(0, held: 2, limit: 4));
        Assert.False(budget.TryTake(0, held: 4, limit: 4));
        Assert.Equal((6, 2), (budget.Taken, budget.Holders));
    }

    [Fact]
    public void Past_twice_the_limit_a_fair_share_gets_no_more_but_a_queue_holding_none_still_gets_one()
    {
        var budget = new DispatchBudget();
        const int limit = 10;

        // Queues coming one after another each take up to the share of their moment: 10, then 5 (share 10 / 2),
        // then 2 more after the first (share 10 / 3 = 3), then one more after the first (share 10 / 4 = 2): 20 in all.
        TakeAll(budget, limit, expected: 10);
        TakeAll(budget, limit, expected: 5);
        TakeAll(budget, limit, expected: 3);
        TakeAll(budget, limit, expected: 2);
        Assert.Equal((20, 4), (budget.Taken, budget.Holders));

        // A fifth queue's share is 10 / 5 = 2, but twice the limit is dispatched: its first unit only.
        TakeAll(budget, limit, expected: 1);
        Assert.Equal(21, budget.Taken);
    }

    [Fact]
    public void A_queue_giving_back_its_last_unit_no_longer_counts_among_the_holders()
    {
        var budget = new DispatchBudget();
        budget.TryTake(3, held: 0, limit: 10);
        budget.TryTake(3, held: 1, limit: 10);
        budget.Return(3, held: 1);
        Assert.Equal(1, budget.Holders);
        budget.Return(3, held: 0);
        Assert.Equal((0, 0), (budget.Taken, budget.Holders));
    }

    [Fact]
    public void Giving_back_a_unit_never_taken_changes_nothing_and_bad_arguments_are_refused()
    {
        var budget = new DispatchBudget();
        budget.TryTake(5, held: 0, limit: 1);
        Assert.False(budget.Return(4, held: 0));
        Assert.Equal((1, 1), (budget.Taken, budget.Holders));
        Assert.True(budget.Return(5, held: 0));
        Assert.False(budget.Return(5, held: 0));
        Assert.Equal((0, 0), (budget.Taken, budget.Holders));

        Assert.Throws<ArgumentOutOfRangeException>(() => budget.TryTake(0, held: -1, limit: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => budget.TryTake(0, held: 0, limit: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => budget.Return(5, held: -1));
    }

    // One queue taking units at priority 0 until refused; asserts how many it got.
    private static void TakeAll(DispatchBudget budget, int limit, int expected)
    {
        var held = 0;
        while (held < 100 && budget.TryTake(0, held, limit))
        {
            held++;
        }

        Assert.Equal(expected, held);
    }
}
