namespace Oee.Benchmarks.Floor;

/// <summary>A card-floor queue's answer to a task entering it: its place in the order, and whether it starts now.</summary>
/// <param name="Sequence">The task's sequence number in its queue (ties of priority go in this order).</param>
/// <param name="StartNow">True when a running place was free: the task starts itself; false: the queue sends it a start later.</param>
[GenerateSerializer, Immutable, Alias("oee.bench-card-entry")]
public readonly record struct CardEntry([property: Id(0)] long Sequence, [property: Id(1)] bool StartNow);
