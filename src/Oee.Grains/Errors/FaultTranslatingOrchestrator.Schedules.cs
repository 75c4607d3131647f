using Oee.Grains.Client;
using Oee.Grains.Contracts;

namespace Oee.Grains.Errors;

/// <summary>Schedules, translated as every other call.</summary>
internal sealed partial class FaultTranslatingOrchestrator
{
    public Task<SavedSchedule> PutScheduleAsync(string name, ScheduleDefinition definition, CancellationToken cancellationToken = default) =>
        Guard(inner.PutScheduleAsync(name, definition, cancellationToken));

    public Task<ScheduleStatus?> GetScheduleAsync(string name, CancellationToken cancellationToken = default) =>
        Guard(inner.GetScheduleAsync(name, cancellationToken));

    public Task<ScheduleStatus[]> ListSchedulesAsync(CancellationToken cancellationToken = default) =>
        Guard(inner.ListSchedulesAsync(cancellationToken));

    public async Task DeleteScheduleAsync(string name, CancellationToken cancellationToken = default) =>
        await Guard(Done(inner.DeleteScheduleAsync(name, cancellationToken)));

    public Task<ScheduleStatus> PauseScheduleAsync(string name, CancellationToken cancellationToken = default) =>
        Guard(inner.PauseScheduleAsync(name, cancellationToken));

    public Task<ScheduleStatus> ResumeScheduleAsync(string name, CancellationToken cancellationToken = default) =>
        Guard(inner.ResumeScheduleAsync(name, cancellationToken));

    private static async Task<bool> Done(Task call)
    {
        await call;
        return true;
    }
}
