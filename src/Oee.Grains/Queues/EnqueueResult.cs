namespace Oee.Grains.Queues;

/// <summary>A queue's answer to an enqueue.</summary>
/// <param name="Sequence">The task's place in submit order within its queue.</param>
/// <param name="Dispatched">True when the task was started at once; false when it waits in the backlog.</param>
/// <param name="Retry">The queue's default retry policy, for a task submitted without its own.</param>
/// <param name="MaxAttempts">The queue's default attempts, for a task submitted without its own.</param>
[GenerateSerializer, Immutable, Alias("oee.enqueue-result")]
internal sealed record EnqueueResult(
    [property: Id(0)] long Sequence,
    [property: Id(1)] bool Dispatched,
    [property: Id(20)] Contracts.RetryPolicy? Retry = null,
    [property: Id(21)] int? MaxAttempts = null);
