using System.Diagnostics.Metrics;
using Oee.Grains.Contracts;
using Oee.Grains.Telemetry;
using Oee.Grains.Tests.Cluster;

namespace Oee.Grains.Tests.Telemetry;

/// <summary>
/// The Orleans instruments OEE leaves out of its metrics by default are named as the running Orleans
/// names them, and Orleans records them as tasks run: a renamed instrument would silently come back
/// (and cost every task again) while its name still sat in OEE's list.
/// </summary>
[Collection(MemoryClusterCollection.Name)]
public sealed class OrleansInstrumentNamesTests(MemoryClusterFixture fixture)
{
    // The test cluster's own grain directory does not count unregistrations (Orleans' local directory, which
    // a deployment runs, does: the calls benchmark lists them per task).
    private const string UncountedHere = "orleans-directory-unregistrations*";

    [Fact]
    public async Task Every_instrument_left_out_by_default_is_one_Orleans_publishes_and_records_for_a_task()
    {
        var recorded = new HashSet<string>(StringComparer.Ordinal);
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == OeeTelemetry.OrleansMeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, _, _, _) => Recorded(instrument));
        listener.SetMeasurementEventCallback<int>((instrument, _, _, _) => Recorded(instrument));
        listener.SetMeasurementEventCallback<double>((instrument, _, _, _) => Recorded(instrument));
        listener.Start();

        var task = await fixture.Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "counted", Handler = "echo", Input = "1" });
        await fixture.Orchestrator.ForStatus(task.Task.Id, OeeTaskStatus.Done);

        // A finished task's activation goes away after its answer: its deactivation and unregistration come later.
        try
        {
            await Waiting.Until(() => Missing(Snapshot()).Count == 0, "Orleans to record every instrument OEE leaves out by default");
        }
        catch (TimeoutException)
        {
            // Named below.
        }

        Assert.Empty(Missing(Snapshot()));

        void Recorded(Instrument instrument)
        {
            lock (recorded)
            {
                recorded.Add(instrument.Name);
            }
        }

        static List<string> Missing(HashSet<string> names) =>
        [
            .. OeeTelemetry.OrleansActivationInstruments.Where(name => !names.Contains(name)),
            .. OeeTelemetry.OrleansDirectoryCounters
                .Where(pattern => pattern != UncountedHere && !names.Any(name => name.StartsWith(pattern.TrimEnd('*'), StringComparison.Ordinal))),
        ];

        HashSet<string> Snapshot()
        {
            lock (recorded)
            {
                return [.. recorded];
            }
        }
    }
}
