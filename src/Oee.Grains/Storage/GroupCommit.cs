using System.Threading.Channels;

namespace Oee.Grains.Storage;

/// <summary>
/// Group commit: callers hand in items and await their write; one loop writes whatever has
/// gathered (up to <c>maxBatch</c>) in one round trip, so that under load many items share a
/// write and with no load an item is written at once.
/// </summary>
internal sealed class GroupCommit<T> : IAsyncDisposable
{
    private readonly Channel<(T Item, TaskCompletionSource Done)> pending =
        Channel.CreateUnbounded<(T, TaskCompletionSource)>(new UnboundedChannelOptions { SingleReader = true });

    private readonly Func<IReadOnlyList<T>, Task> write;
    private readonly int maxBatch;
    private readonly Task loop;

    public GroupCommit(Func<IReadOnlyList<T>, Task> write, int maxBatch)
    {
        this.write = write;
        this.maxBatch = maxBatch;
        loop = Task.Run(RunAsync);
    }

    /// <summary>Completes when the item is written; faults when its batch failed.</summary>
    public Task Add(T item)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!pending.Writer.TryWrite((item, done)))
        {
            done.SetException(new ObjectDisposedException(nameof(GroupCommit<T>), "The writer is stopped; the silo is shutting down."));
        }

        return done.Task;
    }

    public async ValueTask DisposeAsync()
    {
        pending.Writer.TryComplete();
        await loop.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var items = new List<T>(maxBatch);
        var waiters = new List<TaskCompletionSource>(maxBatch);
        while (await pending.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (items.Count < maxBatch && pending.Reader.TryRead(out var next))
            {
                items.Add(next.Item);
                waiters.Add(next.Done);
            }

            try
            {
                await write(items).ConfigureAwait(false);
                waiters.ForEach(w => w.TrySetResult());
            }
            catch (Exception ex)
            {
                waiters.ForEach(w => w.TrySetException(ex));
            }

            items.Clear();
            waiters.Clear();
        }
    }
}
