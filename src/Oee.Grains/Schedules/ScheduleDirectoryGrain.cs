using Oee.Grains.Contracts;
using Oee.Grains.Storage;

namespace Oee.Grains.Schedules;

/// <summary>Durable state of the schedule directory.</summary>
[GenerateSerializer, Alias("oee.schedule-directory-state")]
internal sealed class ScheduleDirectoryState
{
    [Id(0)] public SortedSet<string> Names { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>Keeps the sorted set of schedule names; written only when one appears or goes.</summary>
internal sealed class ScheduleDirectoryGrain(
    [PersistentState("schedule-directory", OeeStorage.Name)] IPersistentState<ScheduleDirectoryState> state) : Grain, IScheduleDirectoryGrain, IScheduleDirectoryEngineGrain
{
    Task<string[]> IScheduleDirectoryGrain.List(CancellationToken cancellationToken) => Task.FromResult(state.State.Names.ToArray());

    async Task IScheduleDirectoryEngineGrain.Register(string name)
    {
        if (state.State.Names.Add(name))
        {
            await state.WriteStateAsync();
        }
    }

    async Task IScheduleDirectoryEngineGrain.Unregister(string name)
    {
        if (state.State.Names.Remove(name))
        {
            await state.WriteStateAsync();
        }
    }
}
