using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Oee.Grains.Configuration;
using Oee.Grains.Time;
using Orleans.Runtime;

namespace Oee.Grains.Workers;

/// <summary>
/// On a graceful stop, gives the bodies that outlived their task's activation (see
/// <see cref="LocalAttempts.RunningAttempt.Detach"/>) the same drain as the others: they may finish
/// within <see cref="OeeOptions.DrainTimeout"/>; then they are cancelled and their tasks handed
/// back to their queues. Runs beside Orleans' own deactivation of this silo's grains, in the same stage.
/// </summary>
internal sealed partial class DetachedAttemptDrain(
    LocalAttempts attempts,
    IOptions<OeeOptions> options,
    [FromKeyedServices(OeeClock.ServiceKey)] TimeProvider time,
    ILogger<DetachedAttemptDrain> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(DetachedAttemptDrain), ServiceLifecycleStage.GrainDeactivation, _ => Task.CompletedTask, Drain);

    private async Task Drain(CancellationToken cancellationToken)
    {
        var detached = attempts.Detached;
        if (detached.Count == 0)
        {
            return;
        }

        LogDraining(logger, detached.Count, options.Value.DrainTimeout);
        var all = Task.WhenAll(detached.Select(a => a.Ended));
        await all.WaitAsync(options.Value.DrainTimeout, time, cancellationToken).ContinueWith(static _ => { }, TaskScheduler.Default);
        if (all.IsCompleted)
        {
            return;
        }

        foreach (var attempt in detached.Where(a => !a.Ended.IsCompleted))
        {
            attempt.Stop(handBack: true);
        }

        await all.WaitAsync(options.Value.DrainCancelGrace, time, cancellationToken).ContinueWith(static _ => { }, TaskScheduler.Default);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo stopping with {Count} body(ies) running that outlived their task's activation: draining them for up to {DrainTimeout}")]
    private static partial void LogDraining(ILogger logger, int count, TimeSpan drainTimeout);
}
