using Microsoft.Extensions.Options;
using Oee.Grains.Configuration;
using Oee.Grains.Workers;

namespace Oee.Grains.Tests.Workers;

public sealed class WorkerSlotsTests
{
    private static WorkerSlots Slots(int count) => new(Options.Create(new OeeOptions { WorkerSlotsPerSilo = count }));

    [Fact]
    public void Slots_are_taken_up_to_the_silo_s_count_and_freed_by_release()
    {
        var slots = Slots(2);
        Assert.True(slots.TryTake());
        Assert.True(slots.TryTake());
        Assert.False(slots.TryTake());
        Assert.Equal((2, 2), (slots.Usage.Busy, slots.Usage.Total));
        slots.Release();
        Assert.Equal(1, slots.Usage.Busy);
        Assert.True(slots.TryTake());
    }

    [Fact]
    public async Task A_freed_slot_goes_to_the_highest_priority_waiting_then_to_the_first_come()
    {
        var slots = Slots(1);
        Assert.True(slots.TryTake());
        var order = new List<string>();
        var waits = new[] { ("a", 0), ("b", 5), ("c", 0), ("d", 10), ("e", 5) }
            .Select(w => (w.Item1, Task: slots.WaitAsync(w.Item2, CancellationToken.None)))
            .ToList();
        Assert.Equal(5, slots.Waiting);
        Assert.All(waits, w => Assert.False(w.Task.IsCompleted));

        for (var i = 0; i < waits.Count; i++)
        {
            slots.Release();
            var granted = await Task.WhenAny(waits.Where(w => !order.Contains(w.Item1)).Select(w => w.Task));
            order.Add(waits.Single(w => w.Task == granted).Item1);
            Assert.Equal(1, slots.Usage.Busy);
        }

        Assert.Equal(["d", "b", "e", "a", "c"], order);
    }

    [Fact]
    public async Task A_cancelled_wait_holds_no_slot_and_is_passed_over()
    {
        var slots = Slots(1);
        Assert.True(slots.TryTake());
        using var cancellation = new CancellationTokenSource();
        var cancelled = slots.WaitAsync(10, cancellation.Token);
        var next = slots.WaitAsync(0, CancellationToken.None);
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);

        slots.Release();
        await next;
        Assert.Equal(1, slots.Usage.Busy);
        slots.Release();
        Assert.Equal(0, slots.Usage.Busy);
        Assert.Equal(0, slots.Waiting);
    }

    [Fact]
    public async Task A_wait_whose_token_is_already_cancelled_fails_at_once_and_takes_nothing_even_a_free_slot()
    {
        var slots = Slots(1);
        Assert.True(slots.TryTake());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => slots.WaitAsync(5, new CancellationToken(canceled: true)));
        Assert.Equal(0, slots.Waiting);

        // A free slot is not taken by a cancelled wait either.
        slots.Release();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => slots.WaitAsync(5, new CancellationToken(canceled: true)));
        Assert.Equal(0, slots.Usage.Busy);

        // With a slot free, a wait takes it at once.
        await slots.WaitAsync(5, CancellationToken.None);
        Assert.Equal(1, slots.Usage.Busy);
    }

    [Fact]
    public void Releasing_a_slot_that_was_not_taken_is_refused()
    {
        var slots = Slots(1);
        Assert.Throws<InvalidOperationException>(slots.Release);
    }

    [Fact]
    public async Task Under_concurrent_takes_waits_cancels_and_releases_no_more_than_the_count_run_and_every_slot_comes_back()
    {
        const int count = 4;
        var slots = Slots(count);
        var running = 0;
        var most = 0;
        var workers = Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker);
            for (var i = 0; i < 2_000; i++)
            {
                using var cancellation = new CancellationTokenSource();
                if (random.Next(4) == 0)
                {
                    cancellation.CancelAfter(TimeSpan.FromTicks(random.Next(1, 100)));
                }

                try
                {
                    await slots.WaitAsync(random.Next(0, 11), cancellation.Token);
                }
                catch (OperationCanceledException)
                {
                    continue;
                }

                var now = Interlocked.Increment(ref running);
                InterlockedMax(ref most, now);
                Interlocked.Decrement(ref running);
                slots.Release();
            }
        })).ToArray();
        await Task.WhenAll(workers);

        Assert.InRange(most, 1, count);
        Assert.Equal(0, slots.Usage.Busy);
        for (var i = 0; i < count; i++)
        {
            Assert.True(slots.TryTake());
        }

        Assert.False(slots.TryTake());
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen)
        {
            var before = Interlocked.CompareExchange(ref target, value, seen);
            if (before == seen)
            {
                return;
            }

            seen = before;
        }
    }
}
