using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Oee.Grains.Configuration;

namespace Oee.Grains.Queues;

/// <summary>
/// The tasks of this silo that leave their queues (finished, cancelled), batched per queue. A leave
/// rides on the next enqueue this silo sends to the same queue (<see cref="EnqueueOrStart(IQueueEngineGrain, string, string, int, long?, string?, bool)"/>), so that
/// under load leaving costs no message of its own; it waits for that at most
/// <see cref="OeeOptions.QueueLeaveLinger"/>, then goes in a
/// <see cref="IQueueEngineGrain.LeaveMany"/> call with whatever else gathered. While its queue last said
/// that tasks wait to start (a freed slot is wanted at once), a leave does not linger. Tasks that finish
/// while a queue's previous call is under way go together in its next one. Each queue has its own
/// batches: a queue that answers slowly holds back only its own tasks, and a leave never rides on
/// another queue's call. Each caller waits until its queue took it, so a task's next change (a manual
/// retry enqueuing it again) never overtakes its leave. The linger is a wait of the transport, not an
/// engine time rule: it runs on the system clock, so a fake engine clock in a test never holds a slot.
/// </summary>
internal sealed class QueueLeaves
{
    private const int MaxBatch = 512;

    // Queues whose "tasks wait" answer is remembered while none of their tasks is leaving.
    private const int MaxRemembered = 10_000;

    private readonly ConcurrentDictionary<string, Departures> byQueue = new(StringComparer.Ordinal);
    private readonly Func<string, string[], Task<bool>> leaveMany;
    private readonly TimeProvider time;
    private readonly TimeSpan linger;

    /// <summary>The silo's: each batch that rides on no enqueue is one <see cref="IQueueEngineGrain.LeaveMany"/> call to its queue.</summary>
    public QueueLeaves(QueueReferences queues, IOptions<OeeOptions> options)
        : this((queue, taskIds) => queues.Of(queue).LeaveMany(taskIds), TimeProvider.System, options.Value.QueueLeaveLinger)
    {
    }

    /// <summary>
    /// Batches per queue, each batch that rides on no enqueue sent by <paramref name="leaveMany"/> (queue name,
    /// task ids; answers whether tasks wait to start) after waiting at most <paramref name="linger"/> on <paramref name="time"/>.
    /// </summary>
    internal QueueLeaves(Func<string, string[], Task<bool>> leaveMany, TimeProvider time, TimeSpan linger)
    {
        this.leaveMany = leaveMany;
        this.time = time;
        this.linger = linger;
    }

    /// <summary>
    /// Completes once <paramref name="queue"/> freed the task's place or slot; faults when that call failed.
    /// With <paramref name="linger"/>, the leave may wait for the next enqueue to the queue (at most the
    /// linger); without, it goes at once (with those of the queue already waiting).
    /// </summary>
    public Task Leave(string queue, string taskId, bool linger = false) => For(queue).Add(taskId, linger);

    /// <summary>Something waits for the leaves of <paramref name="queue"/> waiting here: they go now.</summary>
    public void Hurry(string queue)
    {
        if (byQueue.TryGetValue(queue, out var departures))
        {
            departures.Hurry();
        }
    }

    /// <summary>
    /// A submit's enqueue (<see cref="IQueueEngineGrain.EnqueueOrStart"/>) to <paramref name="queue"/>, carrying
    /// the leaves of that queue that wait here. Should the call fail, they go in a leave call of their own.
    /// Durable mode (<paramref name="withRecord"/>) carries none: the queue answers a call that carries leaves
    /// only once their rows are deleted, and a submit must not wait for a database write it does not need
    /// (session 10: +5–8 ms on the durable sent→body p99 at 100/s).
    /// </summary>
    public Task<EnqueueResult> EnqueueOrStart(
        IQueueEngineGrain grain, string queue, string taskId, int priority, long? reservedSequence, string? concurrencyKey, bool withRecord) =>
        EnqueueOrStart(
            queue,
            withRecord,
            (Grain: grain, TaskId: taskId, Priority: priority, ReservedSequence: reservedSequence, ConcurrencyKey: concurrencyKey, WithRecord: withRecord),
            static (call, leaving) => call.Grain.EnqueueOrStart(call.TaskId, call.Priority, call.ReservedSequence, call.ConcurrencyKey, call.WithRecord, leaving));

    /// <summary>
    /// The public overload's one path, with the queue's call as <paramref name="enqueue"/> of <paramref name="call"/>
    /// and the leaves that ride (or null): a static delegate and its state, so that a submit allocates no closure.
    /// </summary>
    internal Task<EnqueueResult> EnqueueOrStart<TCall>(string queue, bool withRecord, TCall call, Func<TCall, string[]?, Task<EnqueueResult>> enqueue)
    {
        var ride = withRecord ? null : TakeRide(queue);
        return ride is null && !RemembersAnswers ? enqueue(call, null) : Carrying(queue, ride, call, enqueue);
    }

    // Without a linger every leave goes at once and a queue's answer is not remembered (see Heard): an enqueue
    // that carries no leaves is then the queue's call alone, without a wrapper awaiting it (a state machine
    // and a continuation fewer per submit).
    private bool RemembersAnswers => linger > TimeSpan.Zero;

    /// <summary>The enqueue with the leaves that ride on it (or none), then what its answer tells.</summary>
    private async Task<EnqueueResult> Carrying<TCall>(string queue, Ride? ride, TCall call, Func<TCall, string[]?, Task<EnqueueResult>> enqueue)
    {
        EnqueueResult result;
        try
        {
            result = await enqueue(call, ride?.TaskIds);
        }
        catch
        {
            ride?.Failed();
            throw;
        }

        if (ride is not null)
        {
            ride.Delivered(result.TasksWaiting);
        }
        else
        {
            Heard(queue, result.TasksWaiting);
        }

        return result;
    }

    /// <summary>The leaves of <paramref name="queue"/> waiting here (at most a batch), to ride on a call to it; null when none wait.</summary>
    internal Ride? TakeRide(string queue) =>
        byQueue.TryGetValue(queue, out var departures) ? departures.TakeRide() : null;

    /// <summary>The queue answered whether tasks wait to start in it: while they do, its leaves do not linger.</summary>
    internal void Heard(string queue, bool tasksWaiting)
    {
        // Without a linger every leave goes at once: the answer changes nothing, and a submit's path
        // need not touch the per-queue batches.
        if (!RemembersAnswers)
        {
            return;
        }

        if (tasksWaiting)
        {
            if (byQueue.Count < MaxRemembered || byQueue.ContainsKey(queue))
            {
                For(queue).Heard(tasksWaiting: true);
            }
        }
        else if (byQueue.TryGetValue(queue, out var departures))
        {
            departures.Heard(tasksWaiting: false);
        }
    }

    private Departures For(string queue) =>
        byQueue.GetOrAdd(queue, static (name, self) => new Departures(name, self), this);

    /// <summary>Leaves taken to ride on a call to their queue; the caller reports how that call ended.</summary>
    internal sealed class Ride
    {
        private readonly Departures departures;
        private readonly List<Departure> batch;

        internal Ride(Departures departures, List<Departure> batch)
        {
            this.departures = departures;
            this.batch = batch;
            TaskIds = IdsOf(batch);
        }

        /// <summary>The leaving tasks.</summary>
        public string[] TaskIds { get; }

        /// <summary>The queue took them; <paramref name="tasksWaiting"/>: its answer, whether tasks wait to start.</summary>
        public void Delivered(bool tasksWaiting)
        {
            foreach (var departure in batch)
            {
                departure.Done.TrySetResult();
            }

            departures.Heard(tasksWaiting);
        }

        /// <summary>The call failed: the leaves go again, at once, in a leave call of their own (leaving twice is harmless).</summary>
        public void Failed() => departures.Retake(batch);
    }

    private static string[] IdsOf(List<Departure> batch)
    {
        var ids = new string[batch.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = batch[i].TaskId;
        }

        return ids;
    }

    /// <summary>One queue's waiting departures, its linger timer and whether a leave call is under way.</summary>
    internal sealed class Departures(string queue, QueueLeaves owner)
    {
        private readonly Lock gate = new();
        private List<Departure> waiting = [];
        private bool sending;
        private bool armed;
        private bool tasksWaiting;
        private ITimer? timer;

        public Task Add(string taskId, bool linger)
        {
            var departure = new Departure(taskId, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            var start = false;
            lock (gate)
            {
                waiting.Add(departure);
                if (!linger || tasksWaiting || owner.linger <= TimeSpan.Zero)
                {
                    start = ClaimSend();
                }
                else if (!sending && !armed)
                {
                    armed = true;
                    timer ??= owner.time.CreateTimer(static state => ((Departures)state!).OnLinger(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                    timer.Change(owner.linger, Timeout.InfiniteTimeSpan);
                }
            }

            SendIf(start);
            return departure.Done.Task;
        }

        public void Hurry()
        {
            bool start;
            lock (gate)
            {
                start = ClaimSend();
            }

            SendIf(start);
        }

        public Ride? TakeRide()
        {
            List<Departure> batch;
            lock (gate)
            {
                if (waiting.Count == 0)
                {
                    return null;
                }

                batch = Take();
            }

            // The linger timer stays armed: it finds nothing, or the leaves that came after this ride.
            return new Ride(this, batch);
        }

        public void Heard(bool tasksWaiting)
        {
            var start = false;
            lock (gate)
            {
                this.tasksWaiting = tasksWaiting;
                if (tasksWaiting)
                {
                    start = ClaimSend();
                }
                else
                {
                    ForgetIfIdle();
                }
            }

            SendIf(start);
        }

        public void Retake(List<Departure> batch)
        {
            bool start;
            lock (gate)
            {
                waiting.InsertRange(0, batch);
                start = ClaimSend();
            }

            SendIf(start);
        }

        private void OnLinger()
        {
            bool start;
            lock (gate)
            {
                armed = false;
                start = ClaimSend();
                if (!start)
                {
                    ForgetIfIdle();
                }
            }

            SendIf(start);
        }

        // Under the gate: true when this caller is to start the sender (none runs, and leaves wait).
        private bool ClaimSend()
        {
            if (sending || waiting.Count == 0)
            {
                return false;
            }

            sending = true;
            return true;
        }

        // Outside the gate. Off the caller's thread: a grain's scheduler (the calls are the silo's, not
        // that activation's), or a timer's (a fake clock's Advance runs the linger on the test's thread).
        private void SendIf(bool start)
        {
            if (start)
            {
                _ = Task.Run(Send);
            }
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
                        ForgetIfIdle();
                        return;
                    }

                    batch = Take();
                }

                try
                {
                    var answer = await owner.leaveMany(queue, IdsOf(batch)).ConfigureAwait(false);
                    lock (gate)
                    {
                        tasksWaiting = answer;
                    }

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

        // Under the gate.
        private List<Departure> Take()
        {
            List<Departure> batch;
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

            return batch;
        }

        // Under the gate. Nothing waiting, nothing under way, nothing to remember: this queue is forgotten
        // (a caller still holding this object starts it again, and it works on its own).
        private void ForgetIfIdle()
        {
            if (waiting.Count == 0 && !sending && !armed && !tasksWaiting)
            {
                timer?.Dispose();
                timer = null;
                owner.byQueue.TryRemove(new KeyValuePair<string, Departures>(queue, this));
            }
        }
    }

    internal readonly record struct Departure(string TaskId, TaskCompletionSource Done);
}
