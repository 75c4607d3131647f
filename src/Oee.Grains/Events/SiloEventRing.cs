using System.Buffers;
using Microsoft.Extensions.Options;
using Oee.Grains.Configuration;
using Oee.Grains.Contracts;

namespace Oee.Grains.Events;

/// <summary>
/// The events published on this silo, newest last, in a fixed-size ring numbered from 1: what the task
/// grains' hot path writes to (a lock and a copy, no grain call, no allocation), and what
/// <see cref="SiloEventPump"/> reads for each subscriber at its own pace. The ring keeps each event by
/// value (<see cref="TaskEventValue"/>) in segments allocated as the ring first fills them, and makes the
/// event objects when a subscriber reads.
/// </summary>
internal sealed class SiloEventRing
{
    /// <summary>Events per segment (at most): about half a megabyte each.</summary>
    private const int SegmentSize = 4096;

    private readonly Lock gate = new();
    private readonly TaskEventValue[]?[] segments;
    private readonly int segmentSize;
    private readonly int segmentShift;
    private readonly long mask;
    private readonly int capacity;
    private long last;
    private TaskCompletionSource? waiter;

    public SiloEventRing(IOptions<OeeEventOptions> options)
        : this(options.Value.SiloRingSize)
    {
    }

    public SiloEventRing(int size)
    {
        capacity = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(size, 2));
        segmentSize = Math.Min(capacity, SegmentSize);
        segmentShift = System.Numerics.BitOperations.Log2((uint)segmentSize);
        segments = new TaskEventValue[]?[capacity / segmentSize];
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

    public void Publish(in TaskEventValue taskEvent)
    {
        lock (gate)
        {
            last++;
            var slot = (int)(last & mask);
            var segment = segments[slot >> segmentShift] ??= new TaskEventValue[segmentSize];
            segment[slot & (segmentSize - 1)] = taskEvent;
        }

        Interlocked.Exchange(ref waiter, null)?.TrySetResult();
    }

    /// <summary>
    /// Up to <paramref name="max"/> events after number <paramref name="after"/>, and the number of the
    /// first one returned; events the ring no longer holds are skipped (the caller sees the jump).
    /// </summary>
    public (TaskEvent[] Events, long First) ReadAfter(long after, int max)
    {
        // Copied under the lock, made into events after it: the publishers wait only for the copy.
        long first;
        int count;
        TaskEventValue[] copied;
        lock (gate)
        {
            // At most capacity: first is never before the oldest event the ring holds.
            first = Math.Max(Math.Max(after + 1, last - capacity + 1), 1);
            count = (int)Math.Min(max, Math.Max(0, last - first + 1));
            if (count <= 0)
            {
                return ([], first);
            }

            copied = ArrayPool<TaskEventValue>.Shared.Rent(count);
            for (var i = 0; i < count; i++)
            {
                var slot = (int)((first + i) & mask);
                copied[i] = segments[slot >> segmentShift]![slot & (segmentSize - 1)];
            }
        }

        var events = new TaskEvent[count];
        for (var i = 0; i < count; i++)
        {
            events[i] = copied[i].ToTaskEvent();
        }

        // Cleared as far as used, so that the pooled array holds no event's strings.
        copied.AsSpan(0, count).Clear();
        ArrayPool<TaskEventValue>.Shared.Return(copied);
        return (events, first);
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
