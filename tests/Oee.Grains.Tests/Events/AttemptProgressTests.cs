using Oee.Grains.Events;

namespace Oee.Grains.Tests.Events;

/// <summary>The signal between a body's progress reports and the task that records them: a report, or the body's end, wakes it.</summary>
public sealed class AttemptProgressTests
{
    [Fact]
    public async Task A_report_wakes_the_waiter_and_only_the_latest_is_taken()
    {
        var progress = new AttemptProgress();
        var waiting = progress.Reported;
        Assert.False(waiting.IsCompleted);

        await progress.ReportAsync(10, "a");
        await progress.ReportAsync(20, "b");

        await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal((20, "b"), progress.Take());
        Assert.Null(progress.Take());
        Assert.False(progress.Reported.IsCompleted);
    }

    [Fact]
    public async Task The_end_wakes_both_waiters_and_keeps_them_awake()
    {
        var progress = new AttemptProgress();
        var reported = progress.Reported;
        var ended = progress.Ended;
        Assert.False(progress.IsEnded);
        Assert.False(ended.IsCompleted);

        progress.End();

        await reported.WaitAsync(TimeSpan.FromSeconds(30));
        await ended.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(progress.IsEnded);
        Assert.True(progress.Reported.IsCompleted);
        Assert.True(progress.Ended.IsCompleted);
        Assert.Null(progress.Take());
    }

    [Fact]
    public async Task A_report_just_before_the_end_is_still_there_to_take()
    {
        var progress = new AttemptProgress();
        await progress.ReportAsync(99, "last");
        progress.End();

        Assert.True(progress.Reported.IsCompleted);
        Assert.Equal((99, "last"), progress.Take());
    }
}
