using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Oee.Grains.Contracts;
using Oee.Grains.Telemetry;
using Oee.Grains.Tests.Cluster;
using Oee.Grains.Workers;

namespace Oee.Grains.Tests.Telemetry;

/// <summary>
/// An attempt handed back before its body began (its silo's worker knew nothing of it: the worker was placed on another
/// silo, as while a silo stops) is taken back uncounted, and its next start runs attempt 1: OEE's metrics, read with a
/// <see cref="MeterListener"/> in the cluster's own process, count one start and one run, the one that ran. Before, the
/// hand-back recorded a <c>handed_back</c> run and the start after it counted a second start.
/// </summary>
public sealed class UnrunAttemptMetricsTests(FaultClusterFixture fixture) : IClassFixture<FaultClusterFixture>, IDisposable
{
    private readonly string queue = Waiting.Unique("unrun");
    private readonly ConcurrentQueue<(string Instrument, string? Outcome)> recorded = new();
    private readonly MeterListener listener = new();

    public void Dispose() => listener.Dispose();

    [Fact]
    public async Task An_attempt_handed_back_before_its_body_began_counts_no_start_and_no_run()
    {
        Listen();

        // The worker answers the first body it is given with "not mine" (as a worker placed on another silo does).
        fixture.Faults.Drop(nameof(IWorkerGrain.StartBody), GrainCallFaults.AnyGrain, answer: false, times: 1);
        try
        {
            var before = fixture.Faults.Answered(nameof(IWorkerGrain.StartBody), GrainCallFaults.AnyGrain);
            var id = (await fixture.Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "unrun", Handler = "echo", Input = "1", Queue = queue })).Task.Id;

            var done = await fixture.Orchestrator.ForStatus(id, OeeTaskStatus.Done);
            Assert.Equal((1, "1"), (done.Attempt, done.Result));
            Assert.Equal(before + 2, fixture.Faults.Answered(nameof(IWorkerGrain.StartBody), GrainCallFaults.AnyGrain));
        }
        finally
        {
            fixture.Faults.Clear(nameof(IWorkerGrain.StartBody), GrainCallFaults.AnyGrain);
        }

        Assert.Equal(1, recorded.Count(r => r.Instrument == "oee.tasks.started"));
        Assert.Equal(["done"], recorded.Where(r => r.Instrument == "oee.task.run.duration").Select(r => r.Outcome));
    }

    // What OEE's meter records for this test's queue (the meter is the process's: other tests use other queues).
    private void Listen()
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == OeeTelemetry.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, _, tags, _) => Record(i, tags));
        listener.SetMeasurementEventCallback<double>((i, _, tags, _) => Record(i, tags));
        listener.Start();
    }

    private void Record(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string? ofQueue = null;
        string? outcome = null;
        foreach (var tag in tags)
        {
            if (tag.Key == OeeMetrics.QueueTag)
            {
                ofQueue = tag.Value as string;
            }
            else if (tag.Key == OeeMetrics.OutcomeTag)
            {
                outcome = tag.Value as string;
            }
        }

        if (ofQueue == queue)
        {
            recorded.Enqueue((instrument.Name, outcome));
        }
    }
}
