namespace Oee.Grains.Time;

/// <summary>
/// A token cancelled once a wait of any length has passed on a <see cref="TimeProvider"/>: what
/// <c>new CancellationTokenSource(delay, time)</c> does, except that the delay may be longer than a .NET timer takes in
/// one go (about 49.7 days, past which that constructor throws), as user-given limits go to 365 days (a pipeline's
/// <c>maxTime</c>). Such a wait is armed in steps (<see cref="LongTimer"/>). With no wait, the token is never cancelled
/// by time.
/// </summary>
internal sealed class LongTimeout : IDisposable
{
    private readonly CancellationTokenSource source = new();
    private readonly LongTimer? timer;

    /// <summary>Cancels <see cref="Token"/> once <paramref name="wait"/> has passed; never when it is null.</summary>
    public LongTimeout(TimeProvider time, TimeSpan? wait)
    {
        if (wait is { } due)
        {
            timer = new LongTimer(time, Expire);
            timer.Arm(due);
        }
    }

    /// <summary>Cancelled when the wait has passed.</summary>
    public CancellationToken Token => source.Token;

    /// <summary>True once the wait has passed.</summary>
    public bool IsCancellationRequested => source.IsCancellationRequested;

    public void Dispose()
    {
        timer?.Dispose();
        source.Dispose();
    }

    private void Expire()
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Disposed while the timer fired: nobody waits any more.
        }
    }
}
