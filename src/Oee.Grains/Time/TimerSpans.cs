namespace Oee.Grains.Time;

/// <summary>
/// The longest wait a .NET timer takes in one go (<see cref="ITimer.Change"/> refuses a due time above
/// 4,294,967,294 ms, about 49.7 days), while the engine allows waits up to 365 days (a task's timeout, a delayed
/// start): a longer wait is armed in steps of at most <see cref="Longest"/>, each checking the clock again.
/// </summary>
internal static class TimerSpans
{
    /// <summary>The longest due time one timer step takes.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    /// <summary>The wait, or <see cref="Longest"/> when it is longer (<see cref="Timeout.InfiniteTimeSpan"/> stays as it is).</summary>
    public static TimeSpan Capped(TimeSpan wait) => wait > Longest ? Longest : wait;
}
