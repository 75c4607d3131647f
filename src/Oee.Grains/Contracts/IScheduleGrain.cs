using Orleans.CodeGeneration;

namespace Oee.Grains.Contracts;

/// <summary>
/// One named schedule (key: its name, see <see cref="ScheduleLimits.IsName"/>): a cron expression in a
/// time zone that submits a task at each occurrence, with the deterministic id
/// <c>schedule:{name}:{yyyyMMddTHHmmssZ}</c>, so that no occurrence ever runs twice.
/// </summary>
[Version(1)]
[Alias("oee.schedule")]
public interface IScheduleGrain : IGrainWithStringKey
{
    /// <summary>Creates or replaces the schedule. A changed definition applies from now on: occurrences before it are not caught up.</summary>
    [Alias("put")]
    Task<SchedulePutResult> Put(ScheduleDefinition definition, CancellationToken cancellationToken = default);

    /// <summary>The schedule with its next occurrences and latest runs (with their tasks' statuses), or null when none has this name.</summary>
    [Alias("get"), ReadOnly]
    Task<ScheduleStatus?> Get(CancellationToken cancellationToken = default);

    /// <summary>Removes the schedule (tasks it submitted stay). False when none has this name.</summary>
    [Alias("delete")]
    Task<bool> Delete(CancellationToken cancellationToken = default);

    /// <summary>Pauses the schedule: no occurrence runs until it is resumed. Null when none has this name.</summary>
    [Alias("pause")]
    Task<ScheduleStatus?> Pause(CancellationToken cancellationToken = default);

    /// <summary>Resumes a paused schedule from now on: occurrences while it was paused are not caught up. Null when none has this name.</summary>
    [Alias("resume")]
    Task<ScheduleStatus?> Resume(CancellationToken cancellationToken = default);
}
