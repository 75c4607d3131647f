using Oee.Grains.Cluster;
using Oee.Grains.Contracts;

namespace Oee.Grains.Schedules;

/// <summary>
/// Every silo wakes every schedule once it is active, so that after a full restart the schedules
/// catch up at once rather than at their reminders' next tick (up to a minute later). Each schedule
/// is woken even when another fails.
/// </summary>
internal sealed class SchedulesOnStart : IWakeOnStart
{
    public string What => "the schedules";

    public async Task Wake(IGrainFactory grains)
    {
        var names = await grains.GetGrain<IScheduleDirectoryGrain>(0).List();
        await Task.WhenAll(names.Select(name => grains.Reference<IScheduleEngineGrain>(name).Wake()));
    }
}
