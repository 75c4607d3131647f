using Orleans.CodeGeneration;

namespace Oee.Grains.Contracts;

/// <summary>The names of every schedule (single grain, key 0).</summary>
[Version(1)]
[Alias("oee.schedule-directory")]
public interface IScheduleDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>Every schedule's name, in ordinal order.</summary>
    [Alias("list"), ReadOnly]
    Task<string[]> List(CancellationToken cancellationToken = default);
}
