using Oee.Grains.Contracts;

namespace Oee.Grains.Client;

/// <summary>Named cron schedules (see <see cref="IScheduleGrain"/>).</summary>
public partial interface IOrchestrator
{
    /// <summary>
    /// Creates or replaces a schedule. Throws <see cref="OeeValidationException"/> naming the field
    /// (<c>name</c>, <c>cron</c>, <c>timeZone</c>, <c>maxMissedRuns</c>, <c>task.handler</c>, ...).
    /// </summary>
    Task<SavedSchedule> PutScheduleAsync(string name, ScheduleDefinition definition, CancellationToken cancellationToken = default);

    /// <summary>The schedule with its next occurrences and latest runs, or null when none has this name.</summary>
    Task<ScheduleStatus?> GetScheduleAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Every schedule, by name.</summary>
    Task<ScheduleStatus[]> ListSchedulesAsync(CancellationToken cancellationToken = default);

    /// <summary>Removes a schedule (its tasks stay); throws <see cref="OeeNotFoundException"/> when none has this name.</summary>
    Task DeleteScheduleAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Pauses a schedule; throws <see cref="OeeNotFoundException"/> when none has this name.</summary>
    Task<ScheduleStatus> PauseScheduleAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Resumes a schedule from now on (no catch-up of the paused time); throws <see cref="OeeNotFoundException"/> when none has this name.</summary>
    Task<ScheduleStatus> ResumeScheduleAsync(string name, CancellationToken cancellationToken = default);
}

/// <summary>A stored schedule and whether this put created it.</summary>
/// <param name="Schedule">The schedule as stored.</param>
/// <param name="Status">Created, updated, or unchanged (the same definition again).</param>
public sealed record SavedSchedule(ScheduleStatus Schedule, SchedulePutStatus Status);
