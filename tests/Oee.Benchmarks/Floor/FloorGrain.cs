using Orleans.Placement;

namespace Oee.Benchmarks.Floor;

/// <summary>
/// The floor of a grain-per-task design: activated by its one call, answers it, deactivates at
/// once (as a finished TaskGrain does). Placed at random like the TaskGrain. No state, no storage.
/// </summary>
[RandomPlacement]
internal sealed class FloorGrain : Grain, IFloorGrain
{
    public Task<string> Run(string input)
    {
        DeactivateOnIdle();
        return Task.FromResult(input);
    }
}
