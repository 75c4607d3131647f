using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Oee.Benchmarks.Diagnostics;

/// <summary>
/// The times this process's runtime held every managed thread (an execution-engine suspension: a GC, or the
/// tiered compiler's own housekeeping), from the runtime's GC events through an in-process listener; used by
/// the latency runs to tell whether the slowest tasks waited for such a pause.
/// </summary>
internal sealed class RuntimePauses : EventListener
{
    private const int SuspendBegin = 9; // GCSuspendEEBegin_V1
    private const int RestartEnd = 3; // GCRestartEEEnd_V1
    private const int SuspendForGc = 1; // SUSPEND_FOR_GC; 6 is SUSPEND_FOR_GC_PREP

    private readonly ConcurrentQueue<Pause> pauses = new();
    private DateTime? suspendedAt;
    private int reason;

    /// <summary>A pause: when it began and ended (UTC), and whether it was for a GC.</summary>
    public readonly record struct Pause(DateTime Start, DateTime End, bool ForGc)
    {
        public double Milliseconds => (End - Start).TotalMilliseconds;

        public bool Overlaps(DateTimeOffset from, DateTimeOffset to) => Start <= to.UtcDateTime && End >= from.UtcDateTime;
    }

    /// <summary>The pauses seen so far.</summary>
    public IReadOnlyList<Pause> Seen => [.. pauses];

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Informational, (EventKeywords)0x1); // GC keyword
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        switch (eventData.EventId)
        {
            case SuspendBegin:
                suspendedAt = eventData.TimeStamp.ToUniversalTime();
                reason = eventData.Payload is { Count: > 0 } payload && payload[0] is uint r ? (int)r : -1;
                break;
            case RestartEnd when suspendedAt is { } start:
                pauses.Enqueue(new Pause(start, eventData.TimeStamp.ToUniversalTime(), reason is SuspendForGc or 6));
                suspendedAt = null;
                break;
        }
    }
}
