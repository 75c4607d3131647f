using Oee.Grains.Queues;

namespace Oee.Grains.Tests.Queues;

public sealed class TokenBucketTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_full_bucket_gives_its_burst_at_once_then_one_token_per_interval()
    {
        var bucket = new TokenBucket(ratePerSecond: 4, burst: 3, Start);
        Assert.Equal(TimeSpan.FromMilliseconds(250), bucket.Interval);
        Assert.True(bucket.TryTake(Start));
        Assert.True(bucket.TryTake(Start));
        Assert.True(bucket.TryTake(Start));
        Assert.False(bucket.TryTake(Start));
        Assert.Equal(TimeSpan.FromMilliseconds(250), bucket.UntilNextToken(Start));
        Assert.False(bucket.TryTake(Start.AddMilliseconds(249)));
        Assert.True(bucket.TryTake(Start.AddMilliseconds(250)));
        Assert.False(bucket.TryTake(Start.AddMilliseconds(250)));

        // Idle time refills it, never beyond its size.
        var later = Start.AddHours(1);
        Assert.Equal(3, Enumerable.Range(0, 10).Count(_ => bucket.TryTake(later)));
    }

    [Fact]
    public void In_any_window_it_never_gives_more_than_the_burst_plus_the_window_over_the_interval()
    {
        var random = new Random(5);
        foreach (var (rate, burst) in new[] { (0.5, 1), (3.0, 2), (10.0, 5), (1000.0, 1) })
        {
            var bucket = new TokenBucket(rate, burst, Start);
            var taken = new List<long>();
            var now = Start;
            for (var i = 0; i < 3000; i++)
            {
                now = now.AddTicks(random.Next(0, (int)(bucket.Interval.Ticks * 2)));
                if (bucket.TryTake(now))
                {
                    taken.Add(now.UtcTicks);
                }
            }

            for (var a = 0; a < taken.Count; a++)
            {
                for (var b = a; b < taken.Count && b < a + 50; b++)
                {
                    var allowed = burst + ((taken[b] - taken[a]) / bucket.Interval.Ticks);
                    Assert.True(b - a + 1 <= allowed, $"rate {rate}, burst {burst}: {b - a + 1} tokens in {TimeSpan.FromTicks(taken[b] - taken[a])}");
                }
            }

            // And it gives what it promises: over the whole run, all but at most one interval's worth.
            var span = now.UtcTicks - Start.UtcTicks;
            Assert.True(taken.Count >= (span / bucket.Interval.Ticks) / 2, $"rate {rate}: only {taken.Count} tokens in {TimeSpan.FromTicks(span)}");
        }
    }

    [Fact]
    public void Until_next_token_is_exactly_when_the_next_take_succeeds()
    {
        var random = new Random(9);
        var bucket = new TokenBucket(ratePerSecond: 7, burst: 2, Start);
        var now = Start;
        for (var i = 0; i < 500; i++)
        {
            var wait = bucket.UntilNextToken(now);
            if (wait > TimeSpan.Zero)
            {
                Assert.False(bucket.TryTake(now + wait - TimeSpan.FromTicks(1)));
            }

            Assert.True(bucket.TryTake(now + wait));
            now += wait + TimeSpan.FromTicks(random.Next(0, 3_000_000));
        }
    }

    [Fact]
    public void A_clock_going_backwards_gives_no_token()
    {
        var bucket = new TokenBucket(ratePerSecond: 1, burst: 1, Start);
        Assert.True(bucket.TryTake(Start));
        Assert.False(bucket.TryTake(Start.AddSeconds(-10)));
        Assert.True(bucket.TryTake(Start.AddSeconds(1)));
    }

    [Fact]
    public void A_rate_or_burst_out_of_range_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TokenBucket(0, 1, Start));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TokenBucket(double.PositiveInfinity, 1, Start));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TokenBucket(1, 0, Start));
    }
}
