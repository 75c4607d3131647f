using Microsoft.Extensions.Logging;
using Oee.Grains.Contracts;
using Orleans.Runtime;

namespace Oee.Grains.Schedules;

/// <summary>
/// Every silo wakes every schedule once it is active, so that after a full restart the schedules
/// catch up at once rather than at their reminders' next tick (up to a minute later).
/// </summary>
internal sealed partial class ScheduleStart(IGrainFactory grains, ILogger<ScheduleStart> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ScheduleStart), ServiceLifecycleStage.Active, OnActive, _ => Task.CompletedTask);

    private Task OnActive(CancellationToken cancellationToken)
    {
        // Not awaited: a silo's start must not wait for (or fail with) the schedules.
        _ = WakeAll();
        return Task.CompletedTask;
    }

    private async Task WakeAll()
    {
        try
        {
            var names = await grains.GetGrain<IScheduleDirectoryGrain>(0).List();
            await Task.WhenAll(names.Select(Wake));
        }
        catch (Exception ex)
        {
            LogWakeFailed(logger, ex, "(directory)");
        }
    }

    private async Task Wake(string name)
    {
        try
        {
            await grains.GetGrain<IScheduleEngineGrain>(name).Wake();
        }
        catch (Exception ex)
        {
            LogWakeFailed(logger, ex, name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not wake schedule {Schedule} from this silo; its reminder will")]
    private static partial void LogWakeFailed(ILogger logger, Exception exception, string schedule);
}
