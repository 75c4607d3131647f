using System.Collections.Concurrent;
using Oee.Grains.Cluster;

namespace Oee.Benchmarks.Floor;

/// <summary>
/// The card floor's leaves, batched per queue on each silo (a silo singleton): a finished task hands
/// its id here and deactivates at once; one <see cref="ICardQueueGrain.LeaveMany"/> call per queue is
/// under way at a time, and the ids that arrive meanwhile go together in the next. That is the cheapest
/// leave the card permits (OEE batches its leaves per queue the same way; unlike OEE's, a card-floor task
/// does not wait until its queue took the leave, and no leave rides on a submit). Each queue has its own
/// batch: one queue's slow call holds back only its own tasks.
/// </summary>
internal sealed class CardLeaves(IGrainFactory grains)
{
    private readonly IGrainFactory grains = grains;
    private readonly ConcurrentDictionary<string, Departures> byQueue = new(StringComparer.Ordinal);

    /// <summary>The last <see cref="ICardQueueGrain.LeaveMany"/> failure (its tasks are then never counted finished), for a stalled run's message.</summary>
    public Exception? LastFailure { get; private set; }

    /// <summary>The task <paramref name="taskId"/> leaves <paramref name="queue"/> (sent with the queue's next batch).</summary>
    public void Leave(string queue, string taskId) =>
        byQueue.GetOrAdd(queue, static (name, self) => new Departures(self, self.grains.Reference<ICardQueueGrain>(name)), this).Add(taskId);

    /// <summary>One queue's waiting leaves, and whether its leave call is under way.</summary>
    private sealed class Departures(CardLeaves owner, ICardQueueGrain queue)
    {
        private readonly Lock gate = new();
        private List<string> waiting = [];
        private bool sending;

        public void Add(string taskId)
        {
            bool start;
            lock (gate)
            {
                waiting.Add(taskId);
                start = !sending;
                sending = true;
            }

            if (start)
            {
                // Off the task's scheduler: the task deactivates at once, the calls are the silo's.
                _ = Task.Run(Send);
            }
        }

        private async Task Send()
        {
            while (true)
            {
                List<string> batch;
                lock (gate)
                {
                    if (waiting.Count == 0)
                    {
                        sending = false;
                        return;
                    }

                    batch = waiting;
                    waiting = [];
                }

                try
                {
                    await queue.LeaveMany([.. batch]).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    owner.LastFailure = ex;
                }
            }
        }
    }
}
