namespace Oee.Grains.Storage;

/// <summary>
/// Group commit: callers hand in items and await their write; one loop writes whatever has
/// gathered (up to <c>maxBatch</c>) in one round trip, so that under load many items share a
/// write and with no load an item is written at once (<see cref="GroupCommit{T, TResult}"/>, with no answer per item).
/// </summary>
internal sealed class GroupCommit<T>(Func<IReadOnlyList<T>, Task> write, int maxBatch) : IAsyncDisposable
{
    private readonly GroupCommit<T, bool> commits = new(
        async items =>
        {
            await write(items).ConfigureAwait(false);
            return new bool[items.Count];
        },
        maxBatch);

    /// <summary>Completes when the item is written; faults when its batch failed.</summary>
    public Task Add(T item) => commits.Add(item);

    public ValueTask DisposeAsync() => commits.DisposeAsync();
}
