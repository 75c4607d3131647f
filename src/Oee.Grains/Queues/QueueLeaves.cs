using System.Collections.Concurrent;

namespace Oee.Grains.Queues;

/// <summary>
/// The tasks of this silo that leave their queues (finished, cancelled), batched per queue: the tasks
/// that finish while a queue's previous <see cref="IQueueEngineGrain.LeaveMany"/> call is under way go
/// together in its next one, so that under load many finished tasks share one message to their queue,
/// and with no load a task leaves at once. Each queue has its own batches: a queue that answers slowly
/// (activating a large backlog, or on a silo that just died) holds back only its own tasks. Each caller
/// waits until its queue took it, so a task's next change (a manual retry enqueuing it again) never
/// overtakes its leave.
/// </summary>
internal sealed class QueueLeaves
{
    private const int MaxBatch = 512;

    private readonly ConcurrentDictionary<string, Departures> byQueue = new(StringComparer.Ordinal);
    private readonly Func<string, string[], Task> leaveMany;

    /// <summary>The silo's: each batch is one <see cref="IQueueEngineGrain.LeaveMany"/> call to its queue.</summary>
    public QueueLeaves(QueueReferences queues)
        : this((queue, taskIds) => queues.Of(queue).LeaveMany(taskIds))
    {
    }

    /// <summary>Batches per queue, each batch sent by <paramref name="leaveMany"/> (queue name, task ids).</summary>
    internal QueueLeaves(Func<string, string[], Task> leaveMany) => this.leaveMany = leaveMany;

    /// <summary>Completes once <paramref name="queue"/> freed the task's place or slot; faults when that call failed.</summary>
    public Task Leave(string queue, string taskId) =>
        byQueue.GetOrAdd(queue, static (name, self) => new Departures(name, self), this).Add(taskId);

    /// <summary>One queue's waiting departures and whether a call for them is under way.</summary>
    private sealed class Departures(string queue, QueueLeaves owner)
    {
        private readonly Lock gate = new();
        private List<Departure> waiting = [];
        private bool sending;

        public Task Add(string taskId)
        {
            var departure = new Departure(taskId, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            bool start;
            lock (gate)
            {
                waiting.Add(departure);
                start = !sending;
                sending = true;
            }

            if (start)
            {
                // Off the calling grain's scheduler: the calls are the silo's, not that activation's.
                _ = Task.Run(Send);
            }

            return departure.Done.Task;
        }

        private async Task Send()
        {
            while (true)
            {
                List<Departure> batch;
                lock (gate)
                {
                    if (waiting.Count == 0)
                    {
                        sending = false;

                        // Idle: forget this queue (a caller still holding this object starts it again).
                        owner.byQueue.TryRemove(new KeyValuePair<string, Departures>(queue, this));
                        return;
                    }

                    if (waiting.Count <= MaxBatch)
                    {
                        batch = waiting;
                        waiting = [];
                    }
                    else
                    {
                        batch = waiting.GetRange(0, MaxBatch);
                        waiting.RemoveRange(0, MaxBatch);
                    }
                }

                var ids = new string[batch.Count];
                for (var i = 0; i < ids.Length; i++)
                {
                    ids[i] = batch[i].TaskId;
                }

                try
                {
                    await owner.leaveMany(queue, ids).ConfigureAwait(false);
                    foreach (var departure in batch)
                    {
                        departure.Done.TrySetResult();
                    }
                }
                catch (Exception ex)
                {
                    foreach (var departure in batch)
                    {
                        departure.Done.TrySetException(new InvalidOperationException($"Task '{departure.TaskId}' could not leave queue '{queue}': {ex.Message}", ex));
                    }
                }
            }
        }
    }

    private readonly record struct Departure(string TaskId, TaskCompletionSource Done);
}
