namespace Oee.Grains.Time;

/// <summary>
/// A one-shot timer on a <see cref="TimeProvider"/> whose wait may be longer than a .NET timer takes in one go
/// (<see cref="ITimer.Change"/> refuses a due time above 4,294,967,294 ms, about 49.7 days), while the engine allows
/// waits up to 365 days (a task's timeout, a delayed start). Such a wait is armed in steps of at most
/// <see cref="Longest"/>, each checking the clock again; a shorter one is the plain timer's, so that a change of the
/// wall clock never moves it. Arm it before its first step or from its own callback: never while a step is pending.
/// </summary>
internal sealed class LongTimer : IDisposable
{
    /// <summary>The longest due time one timer step takes.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private readonly TimeProvider time;
    private readonly Action due;
    private readonly ITimer timer;

    // When a wait longer than one step is due; MinValue for a wait of one step.
    private DateTimeOffset dueAt = DateTimeOffset.MinValue;

    /// <summary>A timer that calls <paramref name="due"/> (on a timer thread) when a wait armed with <see cref="Arm"/> is over.</summary>
    public LongTimer(TimeProvider time, Action due)
    {
        this.time = time;
        this.due = due;
        timer = time.CreateTimer(static state => ((LongTimer)state!).Fire(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Calls back once <paramref name="wait"/> has passed; throws <see cref="ObjectDisposedException"/> once disposed.</summary>
    public void Arm(TimeSpan wait)
    {
        dueAt = wait > Longest ? time.GetUtcNow() + wait : DateTimeOffset.MinValue;
        Step(wait);
    }

    public void Dispose() => timer.Dispose();

    private void Fire()
    {
        var left = dueAt - time.GetUtcNow();
        if (dueAt != DateTimeOffset.MinValue && left > TimeSpan.Zero)
        {
            // A step of a longer wait.
            Step(left);
            return;
        }

        due();
    }

    private void Step(TimeSpan wait) => timer.Change(wait > Longest ? Longest : wait, Timeout.InfiniteTimeSpan);
}
