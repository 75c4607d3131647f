using Oee.Grains.Cluster;
using Oee.Grains.Contracts;
using Oee.Grains.Schedules;
using Oee.Grains.Tasks;

namespace Oee.Grains.Client;

/// <summary>Schedules: checked here first, then one call to the schedule's grain.</summary>
internal sealed partial class Orchestrator
{
    /// <inheritdoc />
    public async Task<SavedSchedule> PutScheduleAsync(string name, ScheduleDefinition definition, CancellationToken cancellationToken = default)
    {
        var errors = ScheduleRules.Check(name, definition, SubmitPolicy.ForClient);
        if (errors.Count > 0)
        {
            throw new OeeValidationException(errors);
        }

        var result = await grains.Reference<IScheduleGrain>(name).Put(definition, UntilSent(cancellationToken));
        return result.Status == SchedulePutStatus.Invalid
            ? throw new OeeValidationException(result.Errors)
            : new SavedSchedule(result.Schedule!, result.Status);
    }

    /// <inheritdoc />
    public Task<ScheduleStatus?> GetScheduleAsync(string name, CancellationToken cancellationToken = default)
    {
        RequireScheduleName(name);
        return grains.Reference<IScheduleGrain>(name).Get(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<ScheduleStatus[]> ListSchedulesAsync(CancellationToken cancellationToken = default)
    {
        var names = await grains.GetGrain<IScheduleDirectoryGrain>(0).List(cancellationToken);
        var schedules = await Task.WhenAll(names.Select(n => grains.Reference<IScheduleGrain>(n).Get(cancellationToken)));

        // A name listed while its first put failed has no schedule: it is left out.
        return [.. schedules.OfType<ScheduleStatus>()];
    }

    /// <inheritdoc />
    public async Task DeleteScheduleAsync(string name, CancellationToken cancellationToken = default)
    {
        RequireScheduleName(name);
        if (!await grains.Reference<IScheduleGrain>(name).Delete(UntilSent(cancellationToken)))
        {
            throw new OeeNotFoundException("schedule", name);
        }
    }

    /// <inheritdoc />
    public async Task<ScheduleStatus> PauseScheduleAsync(string name, CancellationToken cancellationToken = default)
    {
        RequireScheduleName(name);
        return await grains.Reference<IScheduleGrain>(name).Pause(UntilSent(cancellationToken)) ?? throw new OeeNotFoundException("schedule", name);
    }

    /// <inheritdoc />
    public async Task<ScheduleStatus> ResumeScheduleAsync(string name, CancellationToken cancellationToken = default)
    {
        RequireScheduleName(name);
        return await grains.Reference<IScheduleGrain>(name).Resume(UntilSent(cancellationToken)) ?? throw new OeeNotFoundException("schedule", name);
    }

    private static void RequireScheduleName(string name)
    {
        if (ScheduleRules.CheckName(name) is { } error)
        {
            throw new OeeValidationException([error]);
        }
    }
}
