using Microsoft.Extensions.Options;
using Oee.Grains.Configuration;
using Oee.Grains.Contracts;

namespace Oee.Grains.Workers;

/// <summary>
/// This silo's body slots: at most <see cref="OeeOptions.WorkerSlotsPerSilo"/> bodies run here at
/// once, whatever their queues. A task takes a slot before it is marked running.
/// </summary>
internal sealed class WorkerSlots(IOptions<OeeOptions> options)
{
    private readonly int total = options.Value.WorkerSlotsPerSilo;
    private readonly SemaphoreSlim slots = new(options.Value.WorkerSlotsPerSilo, options.Value.WorkerSlotsPerSilo);

    private long abandoned;

    public WorkerSlotUsage Usage => new(total - slots.CurrentCount, total) { Abandoned = Interlocked.Read(ref abandoned) };

    /// <summary>Counts a body the engine stopped waiting for (its slot is released as usual).</summary>
    public void CountAbandoned() => Interlocked.Increment(ref abandoned);

    /// <summary>Waits for a free slot; the caller must <see cref="Release"/> it exactly once.</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => slots.WaitAsync(cancellationToken);

    /// <summary>Takes a slot when one is free now (true), without waiting; the caller must then <see cref="Release"/> it exactly once.</summary>
    public bool TryTake() => slots.Wait(0);

    public void Release() => slots.Release();
}
