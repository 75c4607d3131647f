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

    /// <summary>Completes when a report is waiting (at once if one is).</summary>
    public Task Reported
    {
        get
        {
            lock (gate)
            {
                if (latest is not null)
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
