using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace Oee.Grains.Cluster;

/// <summary>
/// Once this silo is active, runs every registered <see cref="IWakeOnStart"/>, not awaited: a silo's
/// start must not wait for (or fail with) the grains they call. A failure is logged; their reminders
/// (or another silo) carry on.
/// </summary>
internal sealed partial class WakeOnStart(IEnumerable<IWakeOnStart> wakeups, IGrainFactory grains, ILogger<WakeOnStart> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(WakeOnStart), ServiceLifecycleStage.Active, OnActive, _ => Task.CompletedTask);

    private Task OnActive(CancellationToken cancellationToken)
    {
        foreach (var wakeup in wakeups)
        {
            _ = Run(wakeup);
        }

        return Task.CompletedTask;
    }

    private async Task Run(IWakeOnStart wakeup)
    {
        try
        {
            await wakeup.Wake(grains);
        }
        catch (Exception ex)
        {
            LogWakeFailed(logger, ex, wakeup.What);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not wake {What} from this silo at start; its reminder or another silo will")]
    private static partial void LogWakeFailed(ILogger logger, Exception exception, string what);
}
