using Oee.Grains.Client;

namespace Oee.Grains.Tests.Ids;

public sealed class TaskIdsTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 29, 7, 30, 0, 123, TimeSpan.Zero);

    [Fact]
    public void An_id_is_a_version_7_uuid_carrying_its_millisecond()
    {
        var text = TaskIds.NewV7(At);
        var id = Guid.Parse(text);

        Assert.Equal(text, id.ToString());
        Assert.Equal(7, id.Version);
        Assert.Equal(0b10, id.Variant >> 2);
        var bytes = id.ToByteArray(bigEndian: true);
        var milliseconds = ((long)bytes[0] << 40) | ((long)bytes[1] << 32) | ((long)bytes[2] << 24) | ((long)bytes[3] << 16) | ((long)bytes[4] << 8) | bytes[5];
        Assert.Equal(At.ToUnixTimeMilliseconds(), milliseconds);

        // The same shape as the runtime's own version 7 ids for that instant: only the random part differs.
        Assert.Equal(Guid.CreateVersion7(At).ToString()[..15], text[..15]);
    }

    [Fact]
    public void Ids_of_one_millisecond_never_repeat_across_blocks_and_threads()
    {
        var seen = new System.Collections.Concurrent.ConcurrentDictionary<string, byte>();
        Parallel.For(0, 4, _ =>
        {
            for (var i = 0; i < 5_000; i++)
            {
                Assert.True(seen.TryAdd(TaskIds.NewV7(At), 0));
            }
        });

        Assert.Equal(20_000, seen.Count);
    }

    [Fact]
    public void Ids_sort_by_their_millisecond()
    {
        var earlier = TaskIds.NewV7(At);
        var later = TaskIds.NewV7(At.AddMilliseconds(1));

        Assert.True(string.CompareOrdinal(earlier, later) < 0);
    }

    [Fact]
    public void A_time_before_1970_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => TaskIds.NewV7(DateTimeOffset.UnixEpoch.AddMilliseconds(-1)));
}
