using Oee.Grains.Queues;

namespace Oee.Grains.Tests.Queues;

public sealed class DueEntriesTests
{
    private static readonly DateTimeOffset T0 = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static QueueEntry Entry(string id, int seconds, long sequence = 0, int priority = 5) => new(id, priority, sequence, DueAt: T0.AddSeconds(seconds));

    [Fact]
    public void Hands_out_only_what_is_due_earliest_first()
    {
        var due = new DueEntries();
        due.Add(Entry("c", 30, sequence: 3));
        due.Add(Entry("a", 10, sequence: 1));
        due.Add(Entry("b", 20, sequence: 2));

        Assert.Equal(T0.AddSeconds(10), due.NextDueAt);
        Assert.Empty(due.TakeDue(T0.AddSeconds(9.999)));
        Assert.Equal(["a", "b"], due.TakeDue(T0.AddSeconds(20)).Select(e => e.TaskId));
        Assert.Equal(1, due.Count);
        Assert.Equal(T0.AddSeconds(30), due.NextDueAt);
        Assert.Equal(["c"], due.TakeDue(T0.AddDays(1)).Select(e => e.TaskId));
        Assert.Null(due.NextDueAt);
        Assert.Equal(0, due.Count);
    }

    [Fact]
    public void Equal_due_times_come_out_in_sequence_order()
    {
        var due = new DueEntries();
        due.Add(Entry("second", 5, sequence: 8));
        due.Add(Entry("first", 5, sequence: 7));

        Assert.Equal(["first", "second"], due.TakeDue(T0.AddSeconds(5)).Select(e => e.TaskId));
    }

    [Fact]
    public void Removed_and_replaced_entries_never_come_out()
    {
        var due = new DueEntries();
        due.Add(Entry("gone", 1));
        due.Add(Entry("moved", 2));
        due.Add(Entry("kept", 3));
        Assert.True(due.Remove("gone"));
        Assert.False(due.Remove("gone"));
        due.Add(Entry("moved", 10));

        Assert.Equal(T0.AddSeconds(3), due.NextDueAt);
        Assert.Equal(["kept"], due.TakeDue(T0.AddSeconds(5)).Select(e => e.TaskId));
        Assert.True(due.TryGet("moved", out var moved));
        Assert.Equal(T0.AddSeconds(10), moved.DueAt);
        Assert.Equal(["moved"], due.TakeDue(T0.AddSeconds(10)).Select(e => e.TaskId));
    }

    [Fact]
    public void A_long_run_of_random_changes_matches_a_simple_model()
    {
        var random = new Random(11);
        var due = new DueEntries();
        var model = new Dictionary<string, DateTimeOffset>();
        var now = T0;
        for (var step = 0; step < 20_000; step++)
        {
            var id = $"t{random.Next(300)}";
            switch (random.Next(4))
            {
                case 0 or 1:
                    var entry = Entry(id, (int)(now - T0).TotalSeconds + random.Next(0, 50), sequence: step);
                    due.Add(entry);
                    model[id] = entry.DueAt!.Value;
                    break;
                case 2:
                    Assert.Equal(model.Remove(id), due.Remove(id));
                    break;
                default:
                    now = now.AddSeconds(random.Next(0, 5));
                    var taken = due.TakeDue(now);
                    var expected = model.Where(p => p.Value <= now).Select(p => p.Key).ToHashSet();
                    Assert.Equal(expected, taken.Select(e => e.TaskId).ToHashSet());
                    Assert.Equal(taken.Select(e => e.DueAt).Order(), taken.Select(e => e.DueAt));
                    foreach (var key in expected)
                    {
                        model.Remove(key);
                    }

                    break;
            }

            Assert.Equal(model.Count, due.Count);
            Assert.Equal(model.Count == 0 ? null : model.Values.Min(), due.NextDueAt);
        }
    }

    [Fact]
    public void An_entry_without_a_due_time_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new DueEntries().Add(new QueueEntry("x", 5, 1)));
    }
}
