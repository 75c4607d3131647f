using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Oee.Grains.Contracts;
using Oee.Grains.Tasks;
using Oee.Grains.Telemetry;
using Oee.Grains.Workers;

namespace Oee.Grains.Tests.Telemetry;

/// <summary>
/// What each kind of transition counts, through the real state machine and a <see cref="MeterListener"/>
/// on OEE's meter (the meter is the process's: each test uses a queue of its own).
/// </summary>
public sealed class OeeMetricsTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private readonly string queue = $"q-{Guid.NewGuid():N}";
    private readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)> recorded = new();
    private readonly MeterListener listener = new();

    public OeeMetricsTests()
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == OeeTelemetry.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        listener.Start();
    }

    public void Dispose() => listener.Dispose();

    [Fact]
    public void A_lost_attempt_recovered_counts_lost_and_no_run_time()
    {
        var running = Apply(Queued(), new TaskCommand.Start("silo-a"));
        var recovered = Apply(running, new TaskCommand.Start("silo-b", RecoverLostAttempt: true));

        Assert.Equal(2, recovered.Attempt);
        Assert.Equal(1, Count("oee.attempts.lost"));
        Assert.Equal(0, Count("oee.task.run.duration"));
    }

    [Fact]
    public void Starts_are_counted_as_bodies_begin_not_at_the_start_transition()
    {
        var running = Apply(Queued(), new TaskCommand.Start("silo-a"));
        Assert.Equal(0, Count("oee.tasks.started"));

        OeeMetrics.BodyStarted(running);
        Assert.Equal(1, Count("oee.tasks.started"));
    }

    [Fact]
    public void An_attempt_handed_back_before_its_body_began_records_no_run_time()
    {
        // A silo stopping at dispatch: the attempt is taken back, and the next start is attempt 1 again, which runs.
        var running = Apply(Queued(), new TaskCommand.Start("silo-a"));
        var handedBack = Apply(running, new TaskCommand.Requeue(1, BodyRan: false));
        var again = Apply(handedBack, new TaskCommand.Start("silo-b"));
        Apply(again, new TaskCommand.Complete(1, TaskOutcome.Succeeded("1")), Now.AddSeconds(2));

        Assert.Equal(1, again.Attempt);
        var run = Assert.Single(recorded, r => r.Instrument == "oee.task.run.duration");
        Assert.Equal("done", run.Tags[OeeMetrics.OutcomeTag]);
        Assert.Equal(1, Count("oee.tasks.done"));
    }

    [Fact]
    public void A_lost_last_attempt_counts_lost_and_failed()
    {
        var running = Apply(Queued() with { MaxAttempts = 1 }, new TaskCommand.Start("silo-a"));
        var failed = Apply(running, new TaskCommand.Start("silo-b", RecoverLostAttempt: true));

        Assert.Equal(OeeTaskStatus.Error, failed.Status);
        Assert.Equal(1, Count("oee.attempts.lost"));
        Assert.Equal(1, Count("oee.tasks.failed"));
    }

    [Fact]
    public void A_manual_retry_counts_kind_manual_and_the_run_time_is_from_start_to_end()
    {
        var running = Apply(Queued(), new TaskCommand.Start("silo-a"));
        var failed = Apply(running, new TaskCommand.Complete(1, TaskOutcome.Failed(new TaskError("no", "X"))), Now.AddSeconds(3));
        Apply(failed, new TaskCommand.Retry());

        Assert.Equal(1, Count("oee.tasks.retried", ("kind", "manual")));
        Assert.Equal(1, Count("oee.tasks.failed"));
        var run = Assert.Single(recorded, r => r.Instrument == "oee.task.run.duration");
        Assert.Equal(3, run.Value, precision: 6);
        Assert.Equal("error", run.Tags[OeeMetrics.OutcomeTag]);
    }

    [Fact]
    public void A_cancel_request_on_a_running_body_counts_nothing_until_the_body_stops()
    {
        var running = Apply(Queued(), new TaskCommand.Start("silo-a"));
        var asked = Apply(running, new TaskCommand.Cancel());
        Assert.Equal(0, Count("oee.tasks.cancelled"));

        Apply(asked, new TaskCommand.Complete(1, TaskOutcome.Cancelled()));
        Assert.Equal(1, Count("oee.tasks.cancelled"));
        Assert.Equal("cancelled", Assert.Single(recorded, r => r.Instrument == "oee.task.run.duration").Tags[OeeMetrics.OutcomeTag]);
    }

    [Fact]
    public void A_handed_back_body_counts_a_run_but_no_end()
    {
        var running = Apply(Queued(), new TaskCommand.Start("silo-a"));
        Apply(running, new TaskCommand.Requeue(1));

        Assert.Equal("handed_back", Assert.Single(recorded, r => r.Instrument == "oee.task.run.duration").Tags[OeeMetrics.OutcomeTag]);
        Assert.Equal(0, Count("oee.tasks.done") + Count("oee.tasks.failed") + Count("oee.tasks.cancelled"));
    }

    private TaskRecord Queued() => new()
    {
        Id = "t1",
        Name = "n",
        Handler = "echo",
        Queue = queue,
        Status = OeeTaskStatus.Queued,
        CreatedAt = Now.AddMinutes(-1),
        MaxAttempts = 3,
        Version = 1,
    };

    /// <summary>What TaskGrain does: apply, and record the applied transition.</summary>
    private static TaskRecord Apply(TaskRecord task, TaskCommand command, DateTimeOffset? at = null)
    {
        var now = at ?? Now;
        var transition = TaskStateMachine.Apply(task, command, now);
        Assert.Equal(TransitionKind.Applied, transition.Kind);
        OeeMetrics.TaskChanged(task, command, transition.Task, now);
        return transition.Task;
    }

    private double Count(string instrument, params (string Key, string Value)[] tags) =>
        recorded.Where(r => r.Instrument == instrument && tags.All(t => Equals(r.Tags.GetValueOrDefault(t.Key), t.Value))).Sum(r => instrument.EndsWith(".duration", StringComparison.Ordinal) ? 1 : r.Value);

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var all = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            all[tag.Key] = tag.Value;
        }

        if (Equals(all.GetValueOrDefault(OeeMetrics.QueueTag), queue))
        {
            recorded.Enqueue((instrument.Name, value, all));
        }
    }
}
