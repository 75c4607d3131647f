using System.Threading.Channels;

namespace Oee.Grains.Storage;

/// <summary>
/// Group commit with an answer per item: callers hand in items and await their own result; one loop
/// hands whatever has gathered (up to <c>maxBatch</c>) to one call of <c>write</c>, which answers each
/// item in order, so that under load many items share a round trip and with no load an item goes at
/// once. A failed call fails every item of its batch; the next batch starts afresh. With
/// <c>oneInABatchBy</c>, two items of the same key never share a batch: the later one waits for the
/// next, in order. With <c>refusedAs</c>, an item whose answer it turns into an exception faults with
/// that exception instead (e.g. a version conflict), so that a caller can await the item's own task
/// without an async wrapper of its own to check the answer.
/// </summary>
internal sealed class GroupCommit<T, TResult> : IAsyncDisposable
{
    private readonly Channel<Pending> pending =
        Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });

    private readonly Func<IReadOnlyList<T>, Task<IReadOnlyList<TResult>>> write;
    private readonly int maxBatch;
    private readonly Func<T, string>? keyOf;
    private readonly Func<T, TResult, Exception?>? refusal;
    private readonly Task loop;
    private long batches;

    public GroupCommit(
        Func<IReadOnlyList<T>, Task<IReadOnlyList<TResult>>> write,
        int maxBatch,
        Func<T, string>? oneInABatchBy = null,
        Func<T, TResult, Exception?>? refusedAs = null)
    {
        this.write = write;
        this.maxBatch = maxBatch;
        keyOf = oneInABatchBy;
        refusal = refusedAs;
        loop = Task.Run(RunAsync);
    }

    /// <summary>The batches handed to <c>write</c> so far, for tests and diagnostics.</summary>
    public long Batches => Interlocked.Read(ref batches);

    /// <summary>Completes with the item's answer once its batch is written; faults when its batch failed.</summary>
    public Task<TResult> Add(T item)
    {
        var entry = new Pending(item, new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!pending.Writer.TryWrite(entry))
        {
            entry.Done.SetException(new ObjectDisposedException(nameof(GroupCommit<T, TResult>), "The group commit is stopped; the silo is shutting down."));
        }

        return entry.Done.Task;
    }

    public async ValueTask DisposeAsync()
    {
        pending.Writer.TryComplete();
        await loop.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var batch = new List<Pending>(maxBatch);
        var items = new List<T>(maxBatch);
        var keys = keyOf is null ? null : new HashSet<string>(StringComparer.Ordinal);

        // Items whose key is already in the batch being formed wait here for the next one, in order.
        var deferred = new Queue<Pending>();
        while (deferred.Count > 0 || await pending.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            for (var carried = deferred.Count; carried > 0 && batch.Count < maxBatch; carried--)
            {
                Take(deferred.Dequeue());
            }

            while (batch.Count < maxBatch && pending.Reader.TryRead(out var next))
            {
                Take(next);
            }

            if (batch.Count > 0)
            {
                await Write(batch, items).ConfigureAwait(false);
            }

            batch.Clear();
            items.Clear();
            keys?.Clear();
        }

        void Take(Pending entry)
        {
            if (keys is null || keys.Add(keyOf!(entry.Item)))
            {
                batch.Add(entry);
                items.Add(entry.Item);
            }
            else
            {
                deferred.Enqueue(entry);
            }
        }
    }

    private async Task Write(List<Pending> batch, List<T> items)
    {
        try
        {
            Interlocked.Increment(ref batches);
            var results = await write(items).ConfigureAwait(false);
            for (var i = 0; i < batch.Count; i++)
            {
                if (refusal?.Invoke(batch[i].Item, results[i]) is { } refused)
                {
                    batch[i].Done.TrySetException(refused);
                }
                else
                {
                    batch[i].Done.TrySetResult(results[i]);
                }
            }
        }
        catch (Exception ex)
        {
            foreach (var entry in batch)
            {
                entry.Done.TrySetException(ex);
            }
        }
    }

    /// <summary>An item and its caller's answer (a struct: the channel holds it without an allocation of its own).</summary>
    private readonly record struct Pending(T Item, TaskCompletionSource<TResult> Done);
}
