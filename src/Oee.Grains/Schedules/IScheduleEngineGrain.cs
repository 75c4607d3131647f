using Orleans.CodeGeneration;

namespace Oee.Grains.Schedules;

/// <summary>The engine's own message to a schedule (the same grain as <see cref="Contracts.IScheduleGrain"/>).</summary>
[Version(1)]
[Alias("oee.engine.schedule")]
internal interface IScheduleEngineGrain : IGrainWithStringKey
{
    /// <summary>Activates the schedule, which then runs what is due and sets its timer (idempotent).</summary>
    [Alias("wake")]
    Task Wake();
}
