using Oee.Grains.Time;

namespace Oee.Grains.Workers;

/// <summary>
/// The timeout of one attempt, on the engine clock. When it passes, the body's token is cancelled
/// (<see cref="LocalAttempts.RunningAttempt.Stop"/>) and <see cref="Passed"/> tells the outcome apart from a cancel
/// or a drain; a body that returned, or that a cancel or a drain stopped, before it passed is not timed out (the
/// first wins). When the grace after it passes too, <see cref="GraceOver"/> completes: the body is abandoned. Waits
/// longer than a timer takes in one go (timeouts go to 365 days) are armed in steps (<see cref="LongTimer"/>).
/// </summary>
internal sealed class AttemptDeadline : IDisposable
{
    private readonly LocalAttempts.RunningAttempt body;
    private readonly TimeSpan grace;
    private readonly LongTimer timer;
    private readonly TaskCompletionSource graceOver = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Touched only by the timer's callbacks, which run one at a time (each arms the next).
    private bool inGrace;
    private int passed;

    public AttemptDeadline(LocalAttempts.RunningAttempt body, TimeSpan timeout, TimeSpan grace, TimeProvider time)
    {
        this.body = body;
        this.grace = grace;
        timer = new LongTimer(time, Due);
        timer.Arm(timeout);
    }

    /// <summary>True once the timeout passed and stopped the body (nothing had ended or stopped it before).</summary>
    public bool Passed => Volatile.Read(ref passed) == 1;

    /// <summary>Completes when the grace after the timeout passed too.</summary>
    public Task GraceOver => graceOver.Task;

    public void Dispose() => timer.Dispose();

    private void Due()
    {
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

        try
        {
            timer.Arm(grace);
        }
        catch (ObjectDisposedException)
        {
            // The attempt ended meanwhile.
        }
    }
}
