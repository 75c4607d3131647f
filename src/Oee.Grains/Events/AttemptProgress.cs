namespace Oee.Grains.Events;

/// <summary>
/// The latest progress an attempt's body reported and not yet recorded: the body writes it (never
/// waiting), the task's activation on the same silo takes it and records it at its own pace
/// (<c>TaskGrain.RecordProgress</c>). Only the latest counts: reports in between fold into it.
/// The recorder starts at the first report (<see cref="RecordWith"/>), so that an attempt whose body
/// reports nothing, most of them, runs no recorder at all: no loop waiting for a report, and no wake-up
/// of the activation at the body's end only to find there is none.
/// </summary>
internal sealed class AttemptProgress
{
    private readonly Lock gate = new();
    private (int Percent, string? Message)? latest;
    // Made only when the recorder waits for a report (most bodies report nothing, and then none waits).
    private TaskCompletionSource? signal;
    private bool ended;

    // Made only when someone waits for the end (a body that reports progress, between two records).
    private TaskCompletionSource? endSignal;

    // What to start at the first report, where (the task activation's scheduler), and its run once started.
    private Func<object?, Task>? startRecorder;
    private object? recorderState;
    private TaskScheduler? recorderScheduler;
    private Task? recorder;

    /// <summary>
    /// Has <paramref name="record"/> (given <paramref name="state"/>) started on <paramref name="scheduler"/> at the
    /// first report, or at once if one is waiting; never once the body ended. Called once, before the body starts.
    /// </summary>
    public void RecordWith(Func<object?, Task> record, object? state, TaskScheduler scheduler)
    {
        lock (gate)
        {
            (startRecorder, recorderState, recorderScheduler) = (record, state, scheduler);
            StartRecorderIfDueLocked();
        }
    }

    /// <summary>The recorder's run: complete when none started (the body reported nothing).</summary>
    public Task Recorder
    {
        get
        {
            lock (gate)
            {
                return recorder ?? Task.CompletedTask;
            }
        }
    }

    public ValueTask ReportAsync(int percent, string? message)
    {
        TaskCompletionSource? reported;
        lock (gate)
        {
            latest = (percent, message);
            reported = signal;
            StartRecorderIfDueLocked();
        }

        reported?.TrySetResult();
        return ValueTask.CompletedTask;
    }

    /// <summary>True once the body ended (<see cref="End"/>).</summary>
    public bool IsEnded
    {
        get
        {
            lock (gate)
            {
                return ended;
            }
        }
    }

    /// <summary>Completes once the body ended.</summary>
    public Task Ended
    {
        get
        {
            lock (gate)
            {
                return ended ? Task.CompletedTask : (endSignal ??= new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }
        }
    }

    /// <summary>The body ended: wakes whoever waits for a report (to take the last one) or for the end.</summary>
    public void End()
    {
        TaskCompletionSource? reported;
        TaskCompletionSource? endWaiter;
        lock (gate)
        {
            ended = true;
            reported = signal;
            endWaiter = endSignal;
        }

        reported?.TrySetResult();
        endWaiter?.TrySetResult();
    }

    /// <summary>Completes when a report is waiting or the body ended (at once if either is so).</summary>
    public Task Reported
    {
        get
        {
            lock (gate)
            {
                if (latest is not null || ended)
                {
                    return Task.CompletedTask;
                }

                if (signal is null || signal.Task.IsCompleted)
                {
                    signal = new(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                return signal.Task;
            }
        }
    }

    /// <summary>The latest report not taken yet, or null.</summary>
    public (int Percent, string? Message)? Take()
    {
        lock (gate)
        {
            var value = latest;
            latest = null;
            return value;
        }
    }

    // The recorder starts once: when it is given and a report waits, and the body has not ended.
    private void StartRecorderIfDueLocked()
    {
        if (recorder is null && startRecorder is not null && latest is not null && !ended)
        {
            recorder = Task.Factory.StartNew(startRecorder, recorderState, CancellationToken.None, TaskCreationOptions.DenyChildAttach, recorderScheduler!).Unwrap();
        }
    }
}
