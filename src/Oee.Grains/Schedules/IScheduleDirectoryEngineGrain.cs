using Orleans.CodeGeneration;

namespace Oee.Grains.Schedules;

/// <summary>The schedules' own messages to the directory (the same grain as <see cref="Contracts.IScheduleDirectoryGrain"/>).</summary>
[Version(1)]
[Alias("oee.engine.schedule-directory")]
internal interface IScheduleDirectoryEngineGrain : IGrainWithIntegerKey
{
    [Alias("register")]
    Task Register(string name);

    [Alias("unregister")]
    Task Unregister(string name);
}
