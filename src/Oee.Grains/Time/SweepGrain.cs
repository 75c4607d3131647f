using Microsoft.Extensions.Logging;

namespace Oee.Grains.Time;

/// <summary>
/// A cluster-wide sweep: one activation for the cluster that, once started, runs <see cref="Sweep"/>
/// every <see cref="Interval"/> on the engine clock, stays active while it does, and keeps a reminder
/// (every <paramref name="wakePeriod"/>) that brings it back on another silo when its own stops. Every
/// silo starts it when it becomes active; starting it again changes nothing.
/// </summary>
internal abstract partial class SweepGrain(string reminderName, TimeSpan wakePeriod, TimeProvider time, ILogger logger) : Grain, IRemindable
{
    private ActivationTimer? sweepTimer;
    private bool reminderSet;

    /// <summary>The engine clock.</summary>
    protected TimeProvider Time => time;

    /// <summary>How often the sweep runs.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>False when the sweep is switched off (it then never starts).</summary>
    protected virtual bool Enabled => true;

    Task IRemindable.ReceiveReminder(string reminderName, TickStatus status)
    {
        reminderSet = true;
        return StartSweeping();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        sweepTimer?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Starts the timer (once) and registers the wake-up reminder (until it is registered).</summary>
    protected async Task StartSweeping()
    {
        if (!Enabled || sweepTimer is not null)
        {
            return;
        }

        DelayDeactivation(Timeout.InfiniteTimeSpan);
        sweepTimer = ActivationTimer.Start(time, Sweep, Interval, Interval);
        if (!reminderSet)
        {
            try
            {
                await this.RegisterOrUpdateReminder(reminderName, wakePeriod, wakePeriod);
                reminderSet = true;
            }
            catch (Exception ex)
            {
                LogReminderFailed(logger, ex, GetType().Name);
            }
        }
    }

    /// <summary>One round of the sweep; it handles its own failures (the next round tries again).</summary>
    protected abstract Task Sweep();

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Sweep} could not register its wake-up reminder; every silo start restarts it")]
    private static partial void LogReminderFailed(ILogger logger, Exception exception, string sweep);
}
