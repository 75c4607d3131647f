namespace Oee.Grains.Events;

/// <summary>
/// The latest progress an attempt's body reported and not yet recorded: the body writes it (never
/// waiting), the task's activation on the same silo takes it and records it at its own pace
/// (<c>TaskGrain.RecordProgress</c>). Only the latest counts: reports in between fold into it.
/// </summary>
internal sealed class AttemptProgress
{
    private readonly Lock gate = new();
    private (int Percent, string? Message)? latest;
    private TaskCompletionSource signal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool ended;

    // Made only when someone waits for the end (a body that reports progress, between two records).
    private TaskCompletionSource? endSignal;

    public ValueTask ReportAsync(int percent, string? message)
    {
        TaskCompletionSource reported;
        lock (gate)
        {
            latest = (percent, message);
            reported = signal;
        }

        reported.TrySetResult();
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
        TaskCompletionSource reported;
        TaskCompletionSource? endWaiter;
        lock (gate)
        {
            ended = true;
            reported = signal;
            endWaiter = endSignal;
        }

        reported.TrySetResult();
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

                if (signal.Task.IsCompleted)
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
}
