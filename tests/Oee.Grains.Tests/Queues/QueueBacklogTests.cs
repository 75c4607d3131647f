using Oee.Grains.Queues;

namespace Oee.Grains.Tests.Queues;

public sealed class QueueBacklogTests
{
    [Fact]
    public void Takes_higher_priority_first_then_submit_order()
    {
        var backlog = new QueueBacklog();
        backlog.Add(new QueueEntry("a", 1, 0));
        backlog.Add(new QueueEntry("b", 9, 1));
        backlog.Add(new QueueEntry("c", 5, 2));
        backlog.Add(new QueueEntry("d", 9, 3));
        backlog.Add(new QueueEntry("e", 1, 4));

        var order = new List<string>();
        while (backlog.TryTake(out var entry))
        {
            order.Add(entry.TaskId);
        }

        Assert.Equal(["b", "d", "c", "a", "e"], order);
    }

    [Fact]
    public void Random_entries_come_out_in_priority_desc_sequence_asc_order()
    {
        var random = new Random(42);
        var backlog = new QueueBacklog();
        var entries = Enumerable.Range(0, 2000).Select(i => new QueueEntry($"t{i}", random.Next(0, 11), i)).ToList();
        foreach (var entry in entries.OrderBy(_ => random.Next()))
        {
            backlog.Add(entry);
        }

        var taken = new List<QueueEntry>();
        while (backlog.TryTake(out var entry))
        {
            taken.Add(entry);
        }

        Assert.Equal(entries.OrderByDescending(e => e.Priority).ThenBy(e => e.Sequence), taken);
    }

    [Fact]
    public void Remove_takes_an_entry_out_and_counts_follow()
    {
        var backlog = new QueueBacklog();
        backlog.Add(new QueueEntry("a", 3, 0));
        backlog.Add(new QueueEntry("b", 3, 1));
        backlog.Add(new QueueEntry("c", 7, 2));

        Assert.True(backlog.Remove("a"));
        Assert.False(backlog.Remove("a"));
        Assert.Equal(2, backlog.Count);
        Assert.Equal(new Dictionary<int, int> { [7] = 1, [3] = 1 }, backlog.CountByPriority());
        Assert.True(backlog.TryTake(out var first));
        Assert.Equal("c", first.TaskId);
    }

    [Fact]
    public void Adding_a_task_twice_keeps_the_first_entry()
    {
        var backlog = new QueueBacklog();
        Assert.True(backlog.Add(new QueueEntry("a", 3, 0)));
        Assert.False(backlog.Add(new QueueEntry("a", 9, 5)));
        Assert.True(backlog.TryGet("a", out var entry));
        Assert.Equal(0, entry.Sequence);
        Assert.Equal(1, backlog.Count);
    }

    [Fact]
    public void Empty_backlog_takes_nothing()
    {
        var backlog = new QueueBacklog();
        Assert.False(backlog.TryTake(out _));
        Assert.Empty(backlog.CountByPriority());
    }

    [Fact]
    public void Entries_come_back_as_added_guid_and_text_ids_alike()
    {
        var since = new DateTimeOffset(2026, 11, 29, 1, 0, 0, TimeSpan.Zero);
        var guidId = Guid.CreateVersion7().ToString();
        var upperId = Guid.NewGuid().ToString().ToUpperInvariant();
        var backlog = new QueueBacklog();
        backlog.Add(new QueueEntry(guidId, 3, 5, "tenant-a", since));
        backlog.Add(new QueueEntry(upperId, 7, 6, null, since.AddSeconds(1)));
        backlog.Add(new QueueEntry("custom:1", 0, 7));

        Assert.True(backlog.TryGet(guidId, out var held));
        Assert.Equal(new QueueEntry(guidId, 3, 5, "tenant-a", since), held);
        Assert.False(backlog.TryGet(guidId.ToUpperInvariant(), out _));
        Assert.True(backlog.Remove(upperId));
        Assert.False(backlog.Remove(upperId.ToLowerInvariant()));

        var taken = new List<QueueEntry>();
        while (backlog.TryTake(out var entry))
        {
            taken.Add(entry);
        }

        Assert.Equal([new QueueEntry(guidId, 3, 5, "tenant-a", since), new QueueEntry("custom:1", 0, 7)], taken);
        Assert.Equal(guidId, taken[0].TaskId);
    }

    [Fact]
    public void Equal_priority_and_sequence_fall_back_to_the_ids_ordinal_order()
    {
        var ids = Enumerable.Range(0, 50).Select(i => i % 2 == 0 ? Guid.NewGuid().ToString() : $"{(char)('0' + (i % 70))}-custom-{i}").ToList();
        var backlog = new QueueBacklog();
        foreach (var id in ids)
        {
            backlog.Add(new QueueEntry(id, 4, 1));
        }

        var order = new List<string>();
        while (backlog.TryTake(out var entry))
        {
            order.Add(entry.TaskId);
        }

        Assert.Equal(ids.Order(StringComparer.Ordinal), order);
    }
}
