namespace Oee.Grains.Queues;

/// <summary>
/// A queue's start rate: a token bucket of <c>burst</c> tokens refilled at <c>rate</c> tokens per
/// second; each start takes one token. Pure: the caller passes the engine clock's time. Kept in the
/// equivalent "theoretical arrival time" form (GCRA) in whole ticks, so that it is exact: one token
/// every <see cref="Interval"/> (1/rate seconds, rounded to 100 ns, at least one tick), a full bucket
/// at the start, and in any window of length w at most <c>burst + floor(w / Interval)</c> starts.
/// A clock that goes backwards changes nothing (no token is given back or taken).
/// </summary>
internal sealed class TokenBucket
{
    private readonly long intervalTicks;
    private readonly long toleranceTicks;

    // The time at which the bucket would be full again: each take moves it one interval on.
    private long fullAt;

    /// <summary>A full bucket of <paramref name="burst"/> tokens refilled at <paramref name="ratePerSecond"/>.</summary>
    public TokenBucket(double ratePerSecond, int burst, DateTimeOffset now)
    {
        if (!double.IsFinite(ratePerSecond) || ratePerSecond <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ratePerSecond), ratePerSecond, "A start rate must be a positive number of tasks per second.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        Rate = ratePerSecond;
        Burst = burst;
        intervalTicks = Math.Max(1, (long)Math.Round(TimeSpan.TicksPerSecond / ratePerSecond));
        toleranceTicks = (burst - 1) * intervalTicks;
        fullAt = now.UtcTicks;
    }

    /// <summary>Tokens per second.</summary>
    public double Rate { get; }

    /// <summary>The most tokens the bucket holds (starts that may follow each other at once).</summary>
    public int Burst { get; }

    /// <summary>The time one token takes to come back.</summary>
    public TimeSpan Interval => TimeSpan.FromTicks(intervalTicks);

    /// <summary>Takes a token when one is there; false (and nothing changes) when the bucket is empty.</summary>
    public bool TryTake(DateTimeOffset now)
    {
        var at = now.UtcTicks;
        var next = Math.Max(fullAt, at);
        if (next - at > toleranceTicks)
        {
            return false;
        }

        fullAt = next + intervalTicks;
        return true;
    }

    /// <summary>How long until a token is there: zero when one is there now.</summary>
    public TimeSpan UntilNextToken(DateTimeOffset now)
    {
        var wait = fullAt - toleranceTicks - now.UtcTicks;
        return wait > 0 ? TimeSpan.FromTicks(wait) : TimeSpan.Zero;
    }
}
