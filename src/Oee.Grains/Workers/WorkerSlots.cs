using Microsoft.Extensions.Options;
using Oee.Grains.Configuration;
using Oee.Grains.Contracts;

namespace Oee.Grains.Workers;

/// <summary>
/// This silo's body slots: at most <see cref="OeeOptions.WorkerSlotsPerSilo"/> bodies run here at
/// once, whatever their queues. A task takes a slot before it is marked running. When none is free,
/// dispatched tasks wait here (a queue whose <c>maxConcurrency</c> exceeds the cluster's slots dispatches
/// more than can run), and a freed slot goes to the waiter of the highest priority, the earliest of those
/// first: a task dispatched later with a higher priority does not wait behind lower ones.
/// </summary>
internal sealed class WorkerSlots(IOptions<OeeOptions> options)
{
    private readonly int total = options.Value.WorkerSlotsPerSilo;
    private readonly Lock gate = new();

    // Highest priority first, then first come: the heap's smallest key.
    private readonly PriorityQueue<SlotWaiter, (int NegatedPriority, long Arrival)> waiters = new();
    private int free = options.Value.WorkerSlotsPerSilo;
    private long arrivals;
    private long abandoned;

    public WorkerSlotUsage Usage => new(total - Volatile.Read(ref free), total) { Abandoned = Interlocked.Read(ref abandoned) };

    /// <summary>Tasks waiting for a slot now (cancelled waits may still be counted until a slot passes them over).</summary>
    public int Waiting
    {
        get
        {
            lock (gate)
            {
                return waiters.Count;
            }
        }
    }

    /// <summary>Counts a body the engine stopped waiting for (its slot is released as usual).</summary>
    public void CountAbandoned() => Interlocked.Increment(ref abandoned);

    /// <summary>
    /// Waits for a free slot, after every waiter of a higher priority and those of the same priority that came
    /// first; the caller must <see cref="Release"/> it exactly once. Cancelled: throws <see cref="OperationCanceledException"/>
    /// and holds no slot.
    /// </summary>
    public Task WaitAsync(int priority, CancellationToken cancellationToken)
    {
        SlotWaiter waiter;
        lock (gate)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return Task.FromCanceled(cancellationToken);
            }

            // Slots are free only while nobody waits: Release hands a slot to a waiter before it frees one.
            if (TakeFree())
            {
                return Task.CompletedTask;
            }

            waiter = new SlotWaiter();
            waiters.Enqueue(waiter, (-priority, arrivals++));
        }

        waiter.CancelWith(cancellationToken);
        return waiter.Task;
    }

    /// <summary>Takes a slot when one is free now (true), without waiting; the caller must then <see cref="Release"/> it exactly once.</summary>
    public bool TryTake()
    {
        lock (gate)
        {
            return TakeFree();
        }
    }

    /// <summary>Gives a slot back: to the best waiter still waiting, else free.</summary>
    public void Release()
    {
        SlotWaiter? next = null;
        lock (gate)
        {
            while (waiters.TryDequeue(out var waiter, out _))
            {
                if (waiter.TryClaim())
                {
                    next = waiter;
                    break;
                }
            }

            if (next is null)
            {
                if (free == total)
                {
                    throw new InvalidOperationException("A worker slot was released that was not taken.");
                }

                free++;
            }
        }

        // Its continuation runs elsewhere (asynchronous continuations), not under the lock nor on this caller.
        next?.Grant();
    }

    // Under the lock: takes a free slot if there is one.
    private bool TakeFree()
    {
        if (free == 0)
        {
            return false;
        }

        free--;
        return true;
    }

    /// <summary>One wait for a slot: granted by a release, or cancelled by its token, whichever comes first.</summary>
    private sealed class SlotWaiter
    {
        private const int Pending = 0;
        private const int Claimed = 1;
        private const int Cancelled = 2;

        private readonly TaskCompletionSource completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private CancellationTokenRegistration registration;
        private int state;

        public Task Task => completion.Task;

        public void CancelWith(CancellationToken cancellationToken)
        {
            if (!cancellationToken.CanBeCanceled)
            {
                return;
            }

            registration = cancellationToken.UnsafeRegister(
                static (self, token) =>
                {
                    var waiter = (SlotWaiter)self!;
                    if (Interlocked.CompareExchange(ref waiter.state, Cancelled, Pending) == Pending)
                    {
                        // Left in the heap: the next release passes it over.
                        waiter.completion.TrySetCanceled(token);
                    }
                },
                this);

            // Granted while registering: the token has nothing left to cancel.
            if (Volatile.Read(ref state) == Claimed)
            {
                registration.Dispose();
            }
        }

        /// <summary>Whether this wait gets the slot being released (false: it was cancelled first).</summary>
        public bool TryClaim() => Interlocked.CompareExchange(ref state, Claimed, Pending) == Pending;

        public void Grant()
        {
            registration.Dispose();
            completion.TrySetResult();
        }
    }
}
