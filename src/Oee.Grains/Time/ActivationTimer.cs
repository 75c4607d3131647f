namespace Oee.Grains.Time;

/// <summary>
/// A grain timer on the engine's clock (<see cref="OeeClock"/>): the callback runs in the grain
/// activation that started the timer, one tick at a time; the next tick is due a period after the
/// previous callback finished. Create it inside a grain turn and dispose it when the activation
/// no longer needs it (at the latest when it deactivates). It does not keep the activation alive.
/// A due time or period longer than a timer takes in one go is waited in steps (<see cref="TimerSpans"/>).
/// </summary>
internal sealed class ActivationTimer : IDisposable
{
    private readonly TimeProvider time;
    private readonly Func<Task> callback;
    private readonly TimeSpan period;
    private readonly TaskScheduler activation;
    private readonly ITimer timer;
    private volatile bool disposed;

    // When the tick armed last is due (a wait longer than one timer step fires early and arms the rest).
    private DateTimeOffset dueAt;

    private ActivationTimer(TimeProvider time, Func<Task> callback, TimeSpan dueTime, TimeSpan period)
    {
        this.time = time;
        this.callback = callback;
        this.period = period;
        activation = TaskScheduler.Current;
        if (activation == TaskScheduler.Default)
        {
            throw new InvalidOperationException("An activation timer must be started inside a grain turn.");
        }

        timer = time.CreateTimer(static state => ((ActivationTimer)state!).Fire(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        Arm(dueTime);
    }

    /// <summary>Starts a timer whose first tick is due after <paramref name="dueTime"/>, then every <paramref name="period"/> (<see cref="Timeout.InfiniteTimeSpan"/>: once).</summary>
    public static ActivationTimer Start(TimeProvider time, Func<Task> callback, TimeSpan dueTime, TimeSpan period) =>
        new(time, callback, dueTime, period);

    public void Dispose()
    {
        disposed = true;
        timer.Dispose();
    }

    private void Fire()
    {
        if (disposed)
        {
            return;
        }

        var left = dueAt - time.GetUtcNow();
        if (left > TimeSpan.Zero)
        {
            // A step of a longer wait.
            Change(left);
            return;
        }

        _ = Task.Factory.StartNew(Tick, CancellationToken.None, TaskCreationOptions.None, activation).Unwrap();
    }

    // Arms the next tick after wait, in steps when it is longer than a timer takes.
    private void Arm(TimeSpan wait)
    {
        dueAt = wait > TimerSpans.Longest ? time.GetUtcNow() + wait : DateTimeOffset.MinValue;
        Change(wait);
    }

    private void Change(TimeSpan wait) => timer.Change(TimerSpans.Capped(wait), Timeout.InfiniteTimeSpan);

    private async Task Tick()
    {
        try
        {
            if (!disposed)
            {
                await callback();
            }
        }
        finally
        {
            if (!disposed && period != Timeout.InfiniteTimeSpan)
            {
                try
                {
                    Arm(period);
                }
                catch (ObjectDisposedException)
                {
                    // Disposed while the callback ran.
                }
            }
        }
    }
}
