namespace Oee.Grains.Storage;

/// <summary>
/// Group commit with an answer per item: callers hand in items and await their own result; one
/// writer at a time hands whatever has gathered (up to <c>maxBatch</c>) to one call of <c>write</c>,
/// which answers each item in order, so that under load many items share a round trip and with no
/// load an item goes at once. A failed call fails every item of its batch; the next batch starts
/// afresh. With <c>oneInABatchBy</c>, two items of the same key never share a batch: the later one
/// waits for the next, in order.
/// </summary>
/// <remarks>
/// There is no standing loop: the item that finds no write under way starts the writer, which
/// writes batches until nothing is left. With <c>startOnCaller</c> that first write begins on the
/// caller's own thread, up to its first await (no thread-pool hop between an idle store and its
/// write: memory mode's record write, on the path from a submit to its body); otherwise on the thread pool.
/// </remarks>
internal sealed class GroupCommit<T, TResult> : IAsyncDisposable
{
    private readonly Func<IReadOnlyList<T>, Task<IReadOnlyList<TResult>>> write;
    private readonly int maxBatch;
    private readonly Func<T, string>? keyOf;
    private readonly bool startOnCaller;
    private readonly Lock gate = new();

    // Under gate: items not yet taken into a batch, in order; whether a writer runs; whether stopped.
    private readonly Queue<Pending> waiting = new();
    private bool writing;
    private bool stopped;
    private TaskCompletionSource? writerDone;

    // Used by the one writer only.
    private readonly List<Pending> batch;
    private readonly List<T> items;
    private readonly HashSet<string>? keys;
    private readonly Queue<Pending> deferred = new();
    private long batches;

    public GroupCommit(Func<IReadOnlyList<T>, Task<IReadOnlyList<TResult>>> write, int maxBatch, Func<T, string>? oneInABatchBy = null, bool startOnCaller = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        this.write = write;
        this.maxBatch = maxBatch;
        keyOf = oneInABatchBy;
        this.startOnCaller = startOnCaller;
        batch = new List<Pending>(maxBatch);
        items = new List<T>(maxBatch);
        keys = oneInABatchBy is null ? null : new HashSet<string>(StringComparer.Ordinal);
    }

    /// <summary>The batches handed to <c>write</c> so far, for tests and diagnostics.</summary>
    public long Batches => Interlocked.Read(ref batches);

    /// <summary>Completes with the item's answer once its batch is written; faults when its batch failed.</summary>
    public Task<TResult> Add(T item)
    {
        var entry = new Pending(item, new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        lock (gate)
        {
            if (stopped)
            {
                entry.Done.SetException(new ObjectDisposedException(nameof(GroupCommit<T, TResult>), "The group commit is stopped; the silo is shutting down."));
                return entry.Done.Task;
            }

            waiting.Enqueue(entry);
            if (writing)
            {
                // The writer under way takes it into its next batch.
                return entry.Done.Task;
            }

            writing = true;
        }

        StartWriter();
        return entry.Done.Task;
    }

    /// <summary>Stops taking items; completes once the items already handed in are written.</summary>
    public async ValueTask DisposeAsync()
    {
        Task? running = null;
        lock (gate)
        {
            stopped = true;
            if (writing)
            {
                writerDone ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                running = writerDone.Task;
            }
        }

        if (running is not null)
        {
            await running.ConfigureAwait(false);
        }
    }

    private void StartWriter()
    {
        // The writer's later batches carry other callers' items: they must not run in this caller's
        // execution context (its request context, its trace), so the context does not flow into them.
        using (ExecutionContext.SuppressFlow())
        {
            _ = startOnCaller ? WriteAll() : Task.Run(WriteAll);
        }
    }

    private async Task WriteAll()
    {
        while (true)
        {
            lock (gate)
            {
                TakeBatch();
                if (batch.Count == 0)
                {
                    writing = false;
                    writerDone?.TrySetResult();
                    return;
                }
            }

            await Write().ConfigureAwait(false);
            batch.Clear();
            items.Clear();
            keys?.Clear();
        }
    }

    /// <summary>Under gate: the next batch, first from the items deferred by key, then from those waiting.</summary>
    private void TakeBatch()
    {
        for (var carried = deferred.Count; carried > 0 && batch.Count < maxBatch; carried--)
        {
            Take(deferred.Dequeue());
        }

        while (batch.Count < maxBatch && waiting.TryDequeue(out var next))
        {
            Take(next);
        }
    }

    private void Take(Pending entry)
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

    private async Task Write()
    {
        try
        {
            Interlocked.Increment(ref batches);
            var results = await write(items).ConfigureAwait(false);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Done.TrySetResult(results[i]);
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

    /// <summary>An item and its caller's answer (a struct: the queue holds it without an allocation of its own).</summary>
    private readonly record struct Pending(T Item, TaskCompletionSource<TResult> Done);
}
