using Oee.Grains.Client;
using Oee.Grains.Contracts;

namespace Oee.Grains.Errors;

/// <summary>Schedules, translated as every other call.</summary>
internal sealed partial class FaultTranslatingOrchestrator
{
    public Task<SavedSchedule> PutScheduleAsync(string name, ScheduleDefinition definition, CancellationToken cancellationToken = default) =>
        Guard(RejectedCallRetry.Run(token => inner.PutScheduleAsync(name, definition, token), cancellationToken));

    public Task<ScheduleStatus?> GetScheduleAsync(string name, CancellationToken cancellationToken = default) =>
        Guard(RejectedCallRetry.Run(token => inner.GetScheduleAsync(name, token), cancellationToken));

    public Task<ScheduleStatus[]> ListSchedulesAsync(CancellationToken cancellationToken = default) =>
        Guard(RejectedCallRetry.Run(inner.ListSchedulesAsync, cancellationToken));

    public async Task DeleteScheduleAsync(string name, CancellationToken cancellationToken = default) =>
        await Guard(RejectedCallRetry.Run(token => Done(inner.DeleteScheduleAsync(name, token)), cancellationToken));

    public Task<ScheduleStatus> PauseScheduleAsync(string name, CancellationToken cancellationToken = default) =>
        Guard(RejectedCallRetry.Run(token => inner.PauseScheduleAsync(name, token), cancellationToken));

    public Task<ScheduleStatus> ResumeScheduleAsync(string name, CancellationToken cancellationToken = default) =>
        Guard(RejectedCallRetry.Run(token => inner.ResumeScheduleAsync(name, token), cancellationToken));

    private static async Task<bool> Done(Task call)
    {
        await call;
        return true;
    }
}
