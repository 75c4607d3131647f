namespace Oee.Grains.Workers;

/// <summary>
/// The timeout of one attempt, on the engine clock: when it passes, the body's token is cancelled
/// (<see cref="LocalAttempts.RunningAttempt.Stop"/>) and <see cref="Passed"/> tells the outcome
/// apart from a cancel or a drain.
/// </summary>
internal sealed class AttemptDeadline : IDisposable
{
    private readonly LocalAttempts.RunningAttempt body;
    private readonly ITimer timer;
    private int passed;

    public AttemptDeadline(LocalAttempts.RunningAttempt body, TimeSpan timeout, TimeProvider time)
    {
        this.body = body;
        timer = time.CreateTimer(static state => ((AttemptDeadline)state!).Pass(), this, timeout, Timeout.InfiniteTimeSpan);
    }

    /// <summary>True once the timeout passed (the body was then told to stop).</summary>
    public bool Passed => Volatile.Read(ref passed) == 1;

    public void Dispose() => timer.Dispose();

    private void Pass()
    {
        Volatile.Write(ref passed, 1);
        body.Stop(handBack: false);
    }
}
