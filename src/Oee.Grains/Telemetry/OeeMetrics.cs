using System.Diagnostics.Metrics;
using Oee.Grains.Contracts;
using Oee.Grains.Tasks;
using Oee.Grains.WarmUp;

namespace Oee.Grains.Telemetry;

/// <summary>
/// OEE's meter (<see cref="OeeTelemetry.MeterName"/>) and the few calls the engine makes into it at
/// its transition points: a submit, each applied transition of a task, each dispatch of a queue.
/// Every instrument is tagged with the queue; nothing is recorded unless a listener (OpenTelemetry)
/// enabled the instrument, and a recording is a counter add or a histogram record with one or two
/// tags on the stack: no allocation per task.
/// </summary>
internal static class OeeMetrics
{
    /// <summary>The tag naming the queue on every instrument.</summary>
    public const string QueueTag = "queue";

    /// <summary>The tag of <c>oee.task.run.duration</c> saying how the attempt ended.</summary>
    public const string OutcomeTag = "outcome";

    /// <summary>The tag of <c>oee.tasks.retried</c> saying why the task runs again.</summary>
    public const string KindTag = "kind";

    // Seconds, from a millisecond to an hour: wide enough for a no-op body's queueing and a long job's run.
    private static readonly double[] DurationBuckets =
        [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

    private static readonly Meter Meter = new(OeeTelemetry.MeterName);

    private static readonly Counter<long> Submitted = Meter.CreateCounter<long>("oee.tasks.submitted", "{task}", "Tasks accepted by a submit (new tasks; a repeated idempotent submit is not counted).");
    private static readonly Counter<long> Started = Meter.CreateCounter<long>("oee.tasks.started", "{attempt}", "Attempts started: a body began on its worker (an attempt handed back before its body began is not counted).");
    private static readonly Counter<long> Done = Meter.CreateCounter<long>("oee.tasks.done", "{task}", "Tasks that ended done.");
    private static readonly Counter<long> Failed = Meter.CreateCounter<long>("oee.tasks.failed", "{task}", "Tasks that ended error (a retried attempt is not counted until the task ends).");
    private static readonly Counter<long> Cancelled = Meter.CreateCounter<long>("oee.tasks.cancelled", "{task}", "Tasks that ended cancelled (by a request, or because a dependency failed).");
    private static readonly Counter<long> Retried = Meter.CreateCounter<long>("oee.tasks.retried", "{task}", "Tasks that will run again: kind=backoff after a failed attempt under a retry policy, kind=manual by a retry request.");
    private static readonly Counter<long> Lost = Meter.CreateCounter<long>("oee.attempts.lost", "{attempt}", "Attempts lost with the silo that ran them, found by the queue's lease check.");

    private static readonly Histogram<double> Wait = Meter.CreateHistogram(
        "oee.task.wait.duration",
        "s",
        "From the moment a task entered its queue's backlog (its submit, or coming due after a delayed start or a retry's backoff) to its dispatch.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

    private static readonly Histogram<double> Run = Meter.CreateHistogram(
        "oee.task.run.duration",
        "s",
        "From an attempt's start to its reported end, tagged with the outcome: done, error, retry, cancelled or handed_back (a body stopped by a drain; an attempt handed back before its body began has no sample).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

    static OeeMetrics()
    {
        Meter.CreateObservableGauge("oee.queue.pending", () => QueueGauges.Measure(g => g.Pending), "{task}", "Tasks ready and waiting in the queue (not running, not scheduled for later).");
        Meter.CreateObservableGauge("oee.queue.running", () => QueueGauges.Measure(g => g.Running), "{task}", "Tasks of the queue dispatched and not yet finished (running, or waiting for a worker slot).");
        Meter.CreateObservableGauge("oee.queue.scheduled", () => QueueGauges.Measure(g => g.Scheduled), "{task}", "Tasks of the queue waiting for a time: a delayed start or a retry's backoff.");
        Meter.CreateObservableGauge("oee.worker.slots.busy", () => SiloGauges.Measure(g => g.Slots.Usage.Busy), "{slot}", "Worker slots of the silo running a body.");
        Meter.CreateObservableGauge("oee.worker.slots.total", () => SiloGauges.Measure(g => g.Slots.Usage.Total), "{slot}", "Worker slots of the silo (Oee:WorkerSlotsPerSilo).");
        Meter.CreateObservableGauge("oee.worker.slots.waiting", () => SiloGauges.Measure(g => g.Slots.Waiting), "{task}", "Dispatched tasks waiting on the silo for a worker slot (a cancelled wait may count until a slot passes it over).");
        Meter.CreateObservableGauge("oee.dispatch.units", () => SiloGauges.Measure(g => g.Budget.Taken), "{task}", "Tasks the queues on the silo dispatched from their backlogs and have not seen leave, counted against the silo's dispatch bound (Oee:DispatchWithinSlots).");
    }

    /// <summary>A new task was persisted by its submit (a task with a failed dependency may be cancelled at once).</summary>
    public static void TaskSubmitted(TaskRecord task)
    {
        if (WarmUpTasks.IsQueue(task.Queue))
        {
            return;
        }

        var queue = new KeyValuePair<string, object?>(QueueTag, task.Queue);
        Submitted.Add(1, queue);
        if (task.Status == OeeTaskStatus.Cancelled)
        {
            Cancelled.Add(1, queue);
        }
    }

    /// <summary>A queue dispatched a task that began waiting at <paramref name="waitingSince"/> (default: unknown).</summary>
    public static void TaskDispatched(string queue, DateTimeOffset waitingSince, DateTimeOffset now)
    {
        if (waitingSince != default && Wait.Enabled && !WarmUpTasks.IsQueue(queue))
        {
            Wait.Record(Math.Max(0, (now - waitingSince).TotalSeconds), new KeyValuePair<string, object?>(QueueTag, queue));
        }
    }

    /// <summary>
    /// The body of the task's running attempt began on its worker. Counted here rather than at the start's transition: an
    /// attempt handed back before its body began (<see cref="TaskCommand.Requeue"/> with <c>BodyRan</c> false) is taken
    /// back, and its next start is the same attempt again.
    /// </summary>
    public static void BodyStarted(TaskRecord task)
    {
        if (!WarmUpTasks.IsQueue(task.Queue))
        {
            Started.Add(1, new KeyValuePair<string, object?>(QueueTag, task.Queue));
        }
    }

    /// <summary>An applied (and persisted) transition of a task from <paramref name="before"/> to <paramref name="after"/>.</summary>
    public static void TaskChanged(TaskRecord before, TaskCommand command, TaskRecord after, DateTimeOffset now)
    {
        if (before.Status == after.Status && after.Attempt == before.Attempt)
        {
            return; // a cancel request on a running body, dependents added, ...: nothing to count
        }

        if (WarmUpTasks.IsQueue(after.Queue))
        {
            return;
        }

        var queue = new KeyValuePair<string, object?>(QueueTag, after.Queue);
        if (before.Status == OeeTaskStatus.Running && command is TaskCommand.Start)
        {
            Lost.Add(1, queue);
        }
        else if (before.Status == OeeTaskStatus.Running && command is TaskCommand.Complete or TaskCommand.Requeue { BodyRan: true } && before.StartedAt is { } startedAt && Run.Enabled)
        {
            // (An attempt handed back before its body began ran nothing: no sample.)
            Run.Record(Math.Max(0, (now - startedAt).TotalSeconds), queue, new KeyValuePair<string, object?>(OutcomeTag, OutcomeOf(after.Status)));
        }

        if (before.Status.IsFinal() && !after.Status.IsFinal())
        {
            Retried.Add(1, queue, new KeyValuePair<string, object?>(KindTag, "manual"));
            return;
        }

        switch (after.Status)
        {
            case OeeTaskStatus.Done:
                Done.Add(1, queue);
                break;
            case OeeTaskStatus.Error:
                Failed.Add(1, queue);
                break;
            case OeeTaskStatus.Cancelled:
                Cancelled.Add(1, queue);
                break;
            case OeeTaskStatus.Scheduled when before.Status == OeeTaskStatus.Running:
                Retried.Add(1, queue, new KeyValuePair<string, object?>(KindTag, "backoff"));
                break;
        }
    }

    private static string OutcomeOf(OeeTaskStatus status) => status switch
    {
        OeeTaskStatus.Done => "done",
        OeeTaskStatus.Error => "error",
        OeeTaskStatus.Cancelled => "cancelled",
        OeeTaskStatus.Scheduled => "retry",
        _ => "handed_back",
    };
}
