using Oee.Grains.Time;

namespace Oee.Grains.Workers;

/// <summary>
/// The timeout of one attempt, on the engine clock. When it passes, the body's token is cancelled
/// (<see cref="LocalAttempts.RunningAttempt.Stop"/>) and <see cref="Passed"/> tells the outcome apart from a cancel
/// or a drain; a body that returned, or that a cancel or a drain stopped, before it passed is not timed out (the
/// first wins). When the grace after it passes too, <see cref="GraceOver"/> completes: the body is abandoned. Waits
/// longer than a timer takes in one go (timeouts go to 365 days) are armed in steps (<see cref="TimerSpans"/>).
/// </summary>
internal sealed class AttemptDeadline : IDisposable
{
    private readonly LocalAttempts.RunningAttempt body;
    private readonly TimeProvider time;
    private readonly TimeSpan grace;
    private readonly ITimer timer;
    private readonly TaskCompletionSource graceOver = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Touched only by the timer's callbacks, which run one at a time (each step arms the next).
    private DateTimeOffset dueAt;
    private bool inGrace;
    private int passed;

    public AttemptDeadline(LocalAttempts.RunningAttempt body, TimeSpan timeout, TimeSpan grace, TimeProvider time)
    {
        this.body = body;
        this.time = time;
        this.grace = grace;
        dueAt = time.GetUtcNow() + timeout;
        timer = time.CreateTimer(static state => ((AttemptDeadline)state!).Fire(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        Arm(timeout);
    }

    /// <summary>True once the timeout passed and stopped the body (nothing had ended or stopped it before).</summary>
    public bool Passed => Volatile.Read(ref passed) == 1;

    /// <summary>Completes when the grace after the timeout passed too.</summary>
    public Task GraceOver => graceOver.Task;

    public void Dispose() => timer.Dispose();

    private void Fire()
    {
        var left = dueAt - time.GetUtcNow();
        if (left > TimeSpan.Zero)
        {
            // A step of a longer wait.
            Arm(left);
            return;
        }

        if (inGrace)
        {
            graceOver.TrySetResult();
            return;
        }

        inGrace = true;
        if (!body.Outcome.IsCompleted && !body.Token.IsCancellationRequested)
        {
            Volatile.Write(ref passed, 1);
            body.Stop(handBack: false);
        }

        dueAt = time.GetUtcNow() + grace;
        Arm(grace);
    }

    private void Arm(TimeSpan wait)
    {
        try
        {
            timer.Change(TimerSpans.Capped(wait), Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // The attempt ended meanwhile.
        }
    }
}
