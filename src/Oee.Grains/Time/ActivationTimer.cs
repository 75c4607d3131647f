namespace Oee.Grains.Time;

/// <summary>
/// A grain timer on the engine's clock (<see cref="OeeClock"/>): the callback runs in the grain
/// activation that started the timer, one tick at a time; the next tick is due a period after the
/// previous callback finished. Create it inside a grain turn and dispose it when the activation
/// no longer needs it (at the latest when it deactivates). It does not keep the activation alive.
/// A due time or period longer than a timer takes in one go is waited in steps (<see cref="LongTimer"/>).
/// </summary>
internal sealed class ActivationTimer : IDisposable
{
    private readonly Func<Task> callback;
    private readonly TimeSpan period;
    private readonly TaskScheduler activation;
    private readonly LongTimer timer;
    private volatile bool disposed;

    private ActivationTimer(TimeProvider time, Func<Task> callback, TimeSpan dueTime, TimeSpan period)
    {
        this.callback = callback;
        this.period = period;
        activation = TaskScheduler.Current;
        if (activation == TaskScheduler.Default)
        {
            throw new InvalidOperationException("An activation timer must be started inside a grain turn.");
        }

        timer = new LongTimer(time, Fire);
        timer.Arm(dueTime);
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
        if (!disposed)
        {
            _ = Task.Factory.StartNew(Tick, CancellationToken.None, TaskCreationOptions.None, activation).Unwrap();
        }
    }

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
                    timer.Arm(period);
                }
                catch (ObjectDisposedException)
                {
                    // Disposed while the callback ran.
                }
            }
        }
    }
}
