using Oee.Grains.Workers;

namespace Oee.Grains.Tests.Workers;

/// <summary>The silo's register of running attempts: found and stoppable while registered, ended once disposed.</summary>
public sealed class LocalAttemptsTests
{
    [Fact]
    public void A_registered_attempt_is_found_and_stopped_by_its_task_and_attempt_only()
    {
        var attempts = new LocalAttempts();
        using var cancellation = new CancellationTokenSource();
        using var running = attempts.Register("task-1", 2, cancellation);

        Assert.True(attempts.IsRunning("task-1", 2));
        Assert.False(attempts.IsRunning("task-1", 1));
        Assert.Same(running, attempts.Get("task-1", 2));
        Assert.Equal(cancellation.Token, attempts.Find("task-1", 2));
        Assert.Equal(CancellationToken.None, attempts.Find("task-2", 2));

        Assert.False(attempts.Cancel("task-1", 1));
        Assert.False(cancellation.IsCancellationRequested);
        Assert.True(attempts.Cancel("task-1", 2));
        Assert.True(cancellation.IsCancellationRequested);
        Assert.False(running.HandBack);
    }

    [Fact]
    public async Task Disposing_forgets_the_attempt_and_ends_it_for_waiters_before_and_after()
    {
        var attempts = new LocalAttempts();
        using var cancellation = new CancellationTokenSource();
        var running = attempts.Register("task-1", 1, cancellation);
        var waitingBefore = running.Ended;
        Assert.False(waitingBefore.IsCompleted);
        Assert.Same(waitingBefore, running.Ended);

        running.Dispose();

        await waitingBefore.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(running.Ended.IsCompleted);
        Assert.False(attempts.IsRunning("task-1", 1));
        Assert.False(attempts.Cancel("task-1", 1));

        // Never waited for: ended all the same.
        var other = attempts.Register("task-2", 1, cancellation);
        other.Dispose();
        Assert.True(other.Ended.IsCompleted);
    }

    [Fact]
    public void A_stop_for_the_silo_stopping_marks_the_attempt_to_be_handed_back()
    {
        var attempts = new LocalAttempts();
        using var cancellation = new CancellationTokenSource();
        using var running = attempts.Register("task-1", 1, cancellation);

        Assert.True(running.Stop(handBack: true));
        Assert.True(running.HandBack);
        Assert.True(cancellation.IsCancellationRequested);
        Assert.DoesNotContain(running, attempts.Detached);
        running.Detach();
        Assert.Contains(running, attempts.Detached);
    }
}
