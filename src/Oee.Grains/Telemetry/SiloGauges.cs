using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Oee.Grains.Queues;
using Oee.Grains.Workers;
using Orleans.Runtime;

namespace Oee.Grains.Telemetry;

/// <summary>
/// One silo's worker slots and dispatch budget as the silo gauges report them, tagged with the silo's address:
/// read at a metrics scrape, nothing written per task.
/// </summary>
internal sealed class SiloGauge(string silo, WorkerSlots slots, DispatchBudget budget)
{
    public string Silo { get; } = silo;

    public WorkerSlots Slots { get; } = slots;

    public DispatchBudget Budget { get; } = budget;
}

/// <summary>The running silos of this process, as the silo gauges' callbacks see them.</summary>
internal static class SiloGauges
{
    /// <summary>The tag naming the silo on the silo gauges.</summary>
    public const string SiloTag = "silo";

    private static readonly ConcurrentDictionary<SiloGauge, byte> Live = new();

    /// <summary>Reports the silo's numbers until <see cref="Untrack"/>.</summary>
    public static SiloGauge Track(string silo, WorkerSlots slots, DispatchBudget budget)
    {
        var gauge = new SiloGauge(silo, slots, budget);
        Live.TryAdd(gauge, 0);
        return gauge;
    }

    public static void Untrack(SiloGauge gauge) => Live.TryRemove(gauge, out _);

    public static IEnumerable<Measurement<long>> Measure(Func<SiloGauge, int> read)
    {
        foreach (var gauge in Live.Keys)
        {
            yield return new Measurement<long>(read(gauge), new KeyValuePair<string, object?>(SiloTag, gauge.Silo));
        }
    }
}

/// <summary>Tracks this silo's gauges (<see cref="SiloGauges"/>) from the moment it is active until it stops.</summary>
internal sealed class SiloGaugeRegistration(ILocalSiloDetails silo, WorkerSlots slots, DispatchBudget budget) : ILifecycleParticipant<ISiloLifecycle>
{
    private SiloGauge? gauge;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(
            nameof(SiloGaugeRegistration),
            ServiceLifecycleStage.Active,
            _ =>
            {
                gauge = SiloGauges.Track(silo.SiloAddress.ToParsableString(), slots, budget);
                return Task.CompletedTask;
            },
            _ =>
            {
                if (gauge is not null)
                {
                    SiloGauges.Untrack(gauge);
                }

                return Task.CompletedTask;
            });
}
