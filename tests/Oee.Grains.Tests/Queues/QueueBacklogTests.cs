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
}
