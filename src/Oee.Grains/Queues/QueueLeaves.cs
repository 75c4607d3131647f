using Oee.Grains.Storage;

namespace Oee.Grains.Queues;

/// <summary>
/// The tasks of this silo that leave their queues (finished, cancelled), by group commit: whatever
/// gathered while the previous delivery was under way goes in one <see cref="IQueueEngineGrain.LeaveMany"/>
/// call per queue, so that under load many finished tasks share one message to their queue and with
/// no load a task leaves at once. Each caller still waits until its own queue took it, so a task's
/// next change (a manual retry enqueuing it again) never overtakes its leave.
/// </summary>
internal sealed class QueueLeaves : IAsyncDisposable
{
    private const int MaxBatch = 512;

    private readonly GroupCommit<Departure, Exception?> leaves;

    public QueueLeaves(QueueReferences queues)
    {
        leaves = new GroupCommit<Departure, Exception?>(batch => Deliver(queues, batch), MaxBatch);
    }

    /// <summary>Completes once <paramref name="queue"/> freed the task's place or slot; faults when that call failed.</summary>
    public async Task Leave(string queue, string taskId)
    {
        if (await leaves.Add(new Departure(queue, taskId)) is { } failure)
        {
            throw new InvalidOperationException($"Task '{taskId}' could not leave queue '{queue}': {failure.Message}", failure);
        }
    }

    public ValueTask DisposeAsync() => leaves.DisposeAsync();

    /// <summary>One call per queue of the batch, in parallel; a queue's failure is the answer of its tasks only.</summary>
    private static async Task<IReadOnlyList<Exception?>> Deliver(QueueReferences queues, IReadOnlyList<Departure> batch)
    {
        var answers = new Exception?[batch.Count];
        var first = batch[0].Queue;
        var oneQueue = true;
        for (var i = 1; i < batch.Count && oneQueue; i++)
        {
            oneQueue = string.Equals(batch[i].Queue, first, StringComparison.Ordinal);
        }

        if (oneQueue)
        {
            var ids = new string[batch.Count];
            for (var i = 0; i < ids.Length; i++)
            {
                ids[i] = batch[i].TaskId;
            }

            await Send(queues, first, ids, answers, Enumerable.Range(0, batch.Count)).ConfigureAwait(false);
            return answers;
        }

        var byQueue = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < batch.Count; i++)
        {
            if (!byQueue.TryGetValue(batch[i].Queue, out var positions))
            {
                byQueue[batch[i].Queue] = positions = [];
            }

            positions.Add(i);
        }

        await Task.WhenAll(byQueue.Select(q => Send(queues, q.Key, [.. q.Value.Select(i => batch[i].TaskId)], answers, q.Value))).ConfigureAwait(false);
        return answers;
    }

    private static async Task Send(QueueReferences queues, string queue, string[] taskIds, Exception?[] answers, IEnumerable<int> positions)
    {
        try
        {
            await queues.Of(queue).LeaveMany(taskIds).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            foreach (var i in positions)
            {
                answers[i] = ex;
            }
        }
    }

    private readonly record struct Departure(string Queue, string TaskId);
}
