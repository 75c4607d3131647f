using Oee.Grains.Contracts;
using Oee.Grains.Storage.Memory;

namespace Oee.Grains.Tests.Storage.Memory;

/// <summary>
/// The index shard's ordered set, checked against <see cref="SortedSet{T}"/> with the same order (what it
/// replaced) over long random runs of the shard's own patterns: mostly newer records appended, removals
/// from anywhere, records created at the same instant, more than a chunk's worth in one place.
/// </summary>
public sealed class NewestFirstSetTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1, 0.9)]
    [InlineData(2, 0.5)]
    [InlineData(3, 0.1)]
    public void Holds_and_lists_the_same_records_in_the_same_order_as_a_sorted_set(int seed, double appendShare)
    {
        var random = new Random(seed);
        var set = new NewestFirstSet();
        var model = new SortedSet<ShardRecord>(ShardRecordOrder.Instance);
        var held = new List<ShardRecord>();
        var clock = 0L;

        for (var step = 0; step < 6_000; step++)
        {
            var roll = random.NextDouble();
            if (roll < 0.65 || held.Count == 0)
            {
                // Mostly newer than everything; otherwise at an earlier instant, often one already used.
                var at = random.NextDouble() < appendShare ? ++clock : random.NextInt64(0, clock + 1);
                var record = Record(at, random);
                Assert.Equal(model.Add(record), set.Add(record));
                held.Add(record);
            }
            else if (roll < 0.95)
            {
                var victim = held[random.Next(held.Count)];
                held.Remove(victim);
                Assert.Equal(model.Remove(victim), set.Remove(victim));
            }
            else
            {
                // Adding a held record again, or removing one never added, changes nothing.
                var again = held[random.Next(held.Count)];
                Assert.False(set.Add(again));
                Assert.False(set.Remove(Record(random.NextInt64(0, clock + 1), random)));
            }

            if (step % 500 == 0)
            {
                AssertSame(model, set, random);
            }
        }

        AssertSame(model, set, random);

        // Emptied from the oldest end (as the retention sweep does), then used again.
        foreach (var record in model.Reverse().ToList())
        {
            Assert.True(set.Remove(record));
        }

        Assert.Equal(0, set.Count);
        Assert.Empty(set);
        Assert.Empty(set.After(Record(5, random)));
        var fresh = Record(++clock, random);
        Assert.True(set.Add(fresh));
        Assert.Equal([fresh], set.ToList());
    }

    [Fact]
    public void Keeps_order_when_many_records_share_one_instant_across_chunks()
    {
        var random = new Random(11);
        var set = new NewestFirstSet();
        var model = new SortedSet<ShardRecord>(ShardRecordOrder.Instance);
        foreach (var record in Enumerable.Range(0, NewestFirstSet.ChunkSize * 5).Select(_ => Record(42, random)))
        {
            set.Add(record);
            model.Add(record);
        }

        AssertSame(model, set, random);
    }

    private static void AssertSame(SortedSet<ShardRecord> model, NewestFirstSet set, Random random)
    {
        Assert.Equal(model.Count, set.Count);
        Assert.Equal(model.ToList(), set.ToList());
        Assert.Equal(model.Reverse().ToList(), set.OldestFirstOrder().ToList());

        // After any held record, and after a probe between records (a cursor whose task is gone).
        if (model.Count == 0)
        {
            return;
        }

        var list = model.ToList();
        for (var i = 0; i < 5; i++)
        {
            var cursor = list[random.Next(list.Count)];
            Assert.Equal(list.SkipWhile(r => !ReferenceEquals(r, cursor)).Skip(1).ToList(), set.After(cursor).ToList());

            var probe = Record(random.NextInt64(0, 10_000), random);
            Assert.Equal(list.Where(r => ShardRecordOrder.Instance.Compare(r, probe) > 0).ToList(), set.After(probe).ToList());
        }
    }

    private static ShardRecord Record(long second, Random random) => ShardRecord.Of(
        new TaskRecord
        {
            Id = new Guid(Enumerable.Range(0, 16).Select(_ => (byte)random.Next(256)).ToArray()).ToString(),
            Name = "t",
            Handler = "echo",
            Queue = "q",
            CreatedAt = Start.AddSeconds(second),
        },
        static s => s);
}
