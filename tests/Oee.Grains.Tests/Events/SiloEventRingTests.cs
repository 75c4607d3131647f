using Oee.Grains.Contracts;
using Oee.Grains.Events;

namespace Oee.Grains.Tests.Events;

public sealed class SiloEventRingTests
{
    private static TaskEvent Event(int version) => new() { TaskId = "t", Queue = "q", Version = version, Reason = "x" };

    [Fact]
    public void Reads_after_a_number_in_order_and_in_batches()
    {
        var ring = new SiloEventRing(1024);
        for (var v = 1; v <= 10; v++)
        {
            ring.Publish(Event(v));
        }

        var (events, first) = ring.ReadAfter(3, 4);
        Assert.Equal(4, first);
        Assert.Equal([4L, 5, 6, 7], events.Select(e => e.Version));
        Assert.Empty(ring.ReadAfter(10, 100).Events);
    }

    [Fact]
    public void A_reader_that_fell_behind_the_ring_skips_what_was_overwritten_and_sees_the_jump()
    {
        var ring = new SiloEventRing(1024);
        for (var v = 1; v <= 3000; v++)
        {
            ring.Publish(Event(v));
        }

        var (events, first) = ring.ReadAfter(0, 5000);
        Assert.Equal(3000 - 1024 + 1, first);
        Assert.Equal(1024, events.Length);
        Assert.Equal(3000, events[^1].Version);
    }

    [Fact]
    public async Task A_wait_completes_when_an_event_after_the_number_is_published()
    {
        var ring = new SiloEventRing(1024);
        ring.Publish(Event(1));
        Assert.True(ring.WaitAfterAsync(0, CancellationToken.None).IsCompleted);

        var waiting = ring.WaitAfterAsync(1, CancellationToken.None);
        Assert.False(waiting.IsCompleted);
        ring.Publish(Event(2));
        await waiting.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
