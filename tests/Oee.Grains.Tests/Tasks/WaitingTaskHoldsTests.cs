using Oee.Grains.Contracts;
using Oee.Grains.Tasks;

namespace Oee.Grains.Tests.Tasks;

public sealed class WaitingTaskHoldsTests
{
    [Fact]
    public void Holds_are_charged_until_the_budget_is_spent_and_what_is_given_back_can_be_held_again()
    {
        var holds = new WaitingTaskHolds(budget: 10_000, TimeSpan.FromSeconds(30));

        Assert.True(holds.TryHold(4_000));
        Assert.True(holds.TryHold(6_000));
        Assert.Equal(10_000, holds.Held);
        Assert.False(holds.TryHold(1));
        Assert.Equal(10_000, holds.Held);

        holds.Release(4_000);
        Assert.False(holds.TryHold(4_001));
        Assert.True(holds.TryHold(4_000));
        Assert.Equal(10_000, holds.Held);
    }

    [Fact]
    public void A_budget_of_zero_holds_nothing()
    {
        var holds = new WaitingTaskHolds(budget: 0, TimeSpan.FromSeconds(30));
        Assert.False(holds.TryHold(WaitingTaskHolds.BaseCharge));
        Assert.Equal(0, holds.Held);
    }

    [Fact]
    public void A_task_is_charged_a_base_and_two_bytes_per_character_of_its_input()
    {
        var task = TaskStateMachineTests.Queued() with { Input = new string('x', 1000) };
        Assert.Equal(WaitingTaskHolds.BaseCharge + 2000, WaitingTaskHolds.ChargeOf(task));
        Assert.Equal(WaitingTaskHolds.BaseCharge, WaitingTaskHolds.ChargeOf(task with { Input = null }));
    }

    [Fact]
    public async Task Concurrent_holds_never_charge_past_the_budget()
    {
        var holds = new WaitingTaskHolds(budget: 1_000 * 100, TimeSpan.FromSeconds(30));
        var taken = 0;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 1_000; i++)
            {
                if (holds.TryHold(100))
                {
                    Interlocked.Increment(ref taken);
                }
            }
        })));

        Assert.Equal(1_000, taken);
        Assert.Equal(100_000, holds.Held);
    }
}
