using Oee.Grains.Storage;
namespace Oee.Grains.Queues;

/// <summary>
/// Group commit inside one queue activation: changes made while a write is in flight gather into
/// the next batch (last change per task wins), and each caller awaits the batch that carries its
/// change. Used from the grain's single-threaded context only.
/// </summary>
internal sealed class QueueWriteBuffer(IQueueStore store, string queue)
{
    private Dictionary<string, QueueEntry?> pending = new(StringComparer.Ordinal);
    private long nextSequence;
    private TaskCompletionSource? batchDone;
    private Task? flushing;

    /// <summary>Adds or re-places an entry; completes when durable.</summary>
    public Task Upsert(QueueEntry entry, long nextSequenceAfter)
    {
        pending[entry.TaskId] = entry;
        nextSequence = Math.Max(nextSequence, nextSequenceAfter);
        return Join();
    }

    /// <summary>Removes an entry; completes when durable.</summary>
    public Task Delete(string taskId)
    {
        pending[taskId] = null;
        return Join();
    }

    private Task Join()
    {
        batchDone ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var done = batchDone.Task;
        if (flushing is null || flushing.IsCompleted)
        {
            flushing = Flush();
        }

        return done;
    }

    private async Task Flush()
    {
        while (pending.Count > 0)
        {
            var batch = pending;
            var done = batchDone!;
            pending = new Dictionary<string, QueueEntry?>(StringComparer.Ordinal);
            batchDone = null;
            try
            {
                var upserts = batch.Values.Where(v => v is not null).Select(v => v!.Value).ToList();
                var deletes = batch.Where(p => p.Value is null).Select(p => p.Key).ToList();
                await store.Write(queue, upserts, deletes, nextSequence);
                done.SetResult();
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        }
    }
}
