using Oee.Grains.Storage;

namespace Oee.Grains.Queues;

/// <summary>Durable state of the queue directory.</summary>
[GenerateSerializer, Alias("oee.queue-directory-state")]
internal sealed class QueueDirectoryState
{
    [Id(0)] public SortedSet<string> Queues { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>Keeps the sorted set of queue names; written only when a new queue appears.</summary>
internal sealed class QueueDirectoryGrain(
    [PersistentState("queue-directory", OeeStorage.Name)] IPersistentState<QueueDirectoryState> state) : Grain, IQueueDirectoryGrain
{
    async Task IQueueDirectoryGrain.Register(string queue)
    {
        if (state.State.Queues.Add(queue))
        {
            await state.WriteStateAsync();
        }
    }

    Task<string[]> IQueueDirectoryGrain.List() => Task.FromResult(state.State.Queues.ToArray());

    Task<bool> IQueueDirectoryGrain.Contains(string queue) => Task.FromResult(state.State.Queues.Contains(queue));
}
