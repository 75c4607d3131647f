using Microsoft.Extensions.Options;
using Oee.Grains.Configuration;
using Oee.Grains.Contracts;

namespace Oee.Grains.Events;

/// <summary>
/// The events published on this silo, newest last, in a fixed-size ring numbered from 1: what the task
/// grains' hot path writes to (a lock and a store, no grain call, no allocation beyond the event), and
/// what <see cref="SiloEventPump"/> reads for each subscriber at its own pace.
/// </summary>
internal sealed class SiloEventRing
{
    private readonly Lock gate = new();
    private readonly TaskEvent[] buffer;
    private readonly long mask;
    private long last;
    private TaskCompletionSource? waiter;

    public SiloEventRing(IOptions<OeeEventOptions> options)
        : this(options.Value.SiloRingSize)
    {
    }

    public SiloEventRing(int size)
    {
        var capacity = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(size, 2));
        buffer = new TaskEvent[capacity];
        mask = capacity - 1;
    }

    /// <summary>The number of the newest event (0 before any).</summary>
    public long Last
    {
        get
        {
            lock (gate)
            {
                return last;
            }
        }
    }

    public void Publish(TaskEvent taskEvent)
    {
        lock (gate)
        {
            last++;
            buffer[last & mask] = taskEvent;
        }

        Interlocked.Exchange(ref waiter, null)?.TrySetResult();
    }

    /// <summary>
    /// Up to <paramref name="max"/> events after number <paramref name="after"/>, and the number of the
    /// first one returned; events the ring no longer holds are skipped (the caller sees the jump).
    /// </summary>
    public (TaskEvent[] Events, long First) ReadAfter(long after, int max)
    {
        lock (gate)
        {
            var first = Math.Max(after + 1, last - buffer.Length + 1);
            first = Math.Max(first, 1);
            var count = (int)Math.Min(max, Math.Max(0, last - first + 1));
            var events = new TaskEvent[count];
            for (var i = 0; i < count; i++)
            {
                events[i] = buffer[(first + i) & mask];
            }

            return (events, first);
        }
    }

    /// <summary>Completes when an event after <paramref name="after"/> exists (at once if one does).</summary>
    public Task WaitAfterAsync(long after, CancellationToken cancellationToken)
    {
        var signal = Volatile.Read(ref waiter);
        if (signal is null)
        {
            var fresh = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            signal = Interlocked.CompareExchange(ref waiter, fresh, null) ?? fresh;
        }

        // A publish after the signal was set completes it; one before is seen here.
        return Last > after ? Task.CompletedTask : signal.Task.WaitAsync(cancellationToken);
    }
}
