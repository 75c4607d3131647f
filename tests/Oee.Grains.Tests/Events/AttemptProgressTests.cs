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

    [Fact]
    public async Task A_body_that_reports_nothing_starts_no_recorder()
    {
        var progress = new AttemptProgress();
        var starts = 0;
        progress.RecordWith(_ => { Interlocked.Increment(ref starts); return Task.CompletedTask; }, null, TaskScheduler.Default);

        progress.End();
        await progress.ReportAsync(50, "after the end");

        Assert.True(progress.Recorder.IsCompleted);
        Assert.Equal(0, starts);
    }

    [Fact]
    public async Task The_first_report_starts_the_recorder_once_on_the_given_scheduler_with_its_state()
    {
        var progress = new AttemptProgress();
        var pair = new ConcurrentExclusiveSchedulerPair();
        var starts = 0;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        (TaskScheduler? Scheduler, object? State) seen = default;
        progress.RecordWith(
            async state =>
            {
                Interlocked.Increment(ref starts);
                seen = (TaskScheduler.Current, state);
                await release.Task;
            },
            "the attempt",
            pair.ExclusiveScheduler);
        Assert.True(progress.Recorder.IsCompleted);

        await progress.ReportAsync(10, "a");
        var recorder = progress.Recorder;
        Assert.False(recorder.IsCompleted);
        await progress.ReportAsync(20, "b");
        Assert.Same(recorder, progress.Recorder);

        progress.End();
        release.SetResult();
        await recorder.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, starts);
        Assert.Same(pair.ExclusiveScheduler, seen.Scheduler);
        Assert.Equal("the attempt", seen.State);
        Assert.Equal((20, "b"), progress.Take());
    }

    [Fact]
    public async Task A_report_made_before_the_recorder_is_given_starts_it_at_once()
    {
        var progress = new AttemptProgress();
        await progress.ReportAsync(5, "early");
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        progress.RecordWith(_ => { started.TrySetResult(); return Task.CompletedTask; }, null, TaskScheduler.Default);

        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await progress.Recorder.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
