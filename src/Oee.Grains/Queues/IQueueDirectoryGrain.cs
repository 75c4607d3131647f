using Orleans.CodeGeneration;

namespace Oee.Grains.Queues;

/// <summary>The names of every queue ever used or configured (single grain, key 0).</summary>
[Version(1)]
[Alias("oee.queue-directory")]
internal interface IQueueDirectoryGrain : IGrainWithIntegerKey
{
    [Alias("register")]
    Task Register(string queue);

    [Alias("list"), ReadOnly]
    Task<string[]> List();

    [Alias("contains"), ReadOnly]
    Task<bool> Contains(string queue);
}
