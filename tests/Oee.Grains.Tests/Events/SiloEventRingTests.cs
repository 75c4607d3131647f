using Oee.Grains.Contracts;
using Oee.Grains.Events;
using Oee.Grains.Storage;

namespace Oee.Grains.Tests.Events;

public sealed class SiloEventRingTests
{
    private static TaskEventValue Event(int version) => new() { Task = TaskKey.Of("t"), Queue = "q", Version = version, Reason = "x" };

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
    public void A_read_event_carries_every_field_published()
    {
        var ring = new SiloEventRing(1024);
        var published = new TaskEventValue
        {
            Task = TaskKey.Of("3f2b8a64-6c1d-4e5f-9a7b-0c1d2e3f4a5b"),
            Queue = "q1",
            Tenant = "acme",
            Kind = TaskEventKind.Progress,
            OldStatus = OeeTaskStatus.Running,
            Status = OeeTaskStatus.Running,
            Attempt = 2,
            Version = 7,
            At = new DateTimeOffset(2026, 11, 30, 1, 2, 3, TimeSpan.Zero),
            Reason = TaskEventReasons.Progress,
            Silo = "S127.0.0.1:11111:1",
            Progress = new TaskProgress(40, "half way", new DateTimeOffset(2026, 11, 30, 1, 2, 2, TimeSpan.Zero)),
            Error = new TaskError("it broke", "Boom"),
        };
        ring.Publish(published);

        var read = Assert.Single(ring.ReadAfter(0, 10).Events);
        Assert.Equal(published.ToTaskEvent(), read);
        Assert.Equal(
            ("3f2b8a64-6c1d-4e5f-9a7b-0c1d2e3f4a5b", "q1", "acme", TaskEventKind.Progress, (OeeTaskStatus?)OeeTaskStatus.Running, OeeTaskStatus.Running, 2, 7L, published.At, TaskEventReasons.Progress, "S127.0.0.1:11111:1", 40, "it broke", 0L),
            (read.TaskId, read.Queue, read.Tenant, read.Kind, read.OldStatus, read.Status, read.Attempt, read.Version, read.At, read.Reason, read.Silo, read.Progress!.Percent, read.Error!.Message, read.Id));
    }

    [Theory]
    [InlineData("0b7e3c52-91d4-4a6f-8e2b-5c3d1f0a9e84")]
    [InlineData("0B7E3C52-91D4-4A6F-8E2B-5C3D1F0A9E84")]
    [InlineData("{0b7e3c52-91d4-4a6f-8e2b-5c3d1f0a9e84}")]
    [InlineData("invoice-2026-11-30")]
    public void A_read_event_carries_its_task_id_exactly_as_the_task_has_it(string taskId)
    {
        var ring = new SiloEventRing(1024);
        ring.Publish(new TaskEventValue { Task = TaskKey.Of(taskId), Queue = "q", Reason = "x" });
        Assert.Equal(taskId, Assert.Single(ring.ReadAfter(0, 1).Events).TaskId);
    }

    [Fact]
    public void Each_reader_gets_events_of_its_own_and_a_wrapped_ring_reads_across_its_segments()
    {
        var ring = new SiloEventRing(16_384);
        for (var v = 1; v <= 20_000; v++)
        {
            ring.Publish(Event(v));
        }

        // Numbers 10,000 to 19,999: past the ring's end (16,384) and on from its first segment again.
        var (events, first) = ring.ReadAfter(9_999, 10_000);
        Assert.Equal(10_000, first);
        Assert.Equal(Enumerable.Range(10_000, 10_000).Select(v => (long)v), events.Select(e => e.Version));
        Assert.Equal(20_000 - 16_384 + 1, ring.ReadAfter(0, 1).First);

        var again = ring.ReadAfter(first - 1, 1).Events[0];
        Assert.Equal(events[0], again);
        Assert.NotSame(events[0], again);
    }

    [Fact]
    public void The_largest_ring_takes_memory_as_it_fills_not_when_made()
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var ring = new SiloEventRing(16_777_216);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1_000_000, "a ring of 16,777,216 events allocated its whole size up front");

        ring.Publish(Event(1));
        Assert.Equal(1, Assert.Single(ring.ReadAfter(0, 10).Events).Version);
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
