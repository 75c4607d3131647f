using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Oee.Grains.Hosting;

/// <summary>
/// Runs a host until it is asked to stop, like .NET's <c>RunAsync</c>, except that a stop asked for while the
/// host is still starting (SIGTERM during a silo's warm-up, which runs after the silo has joined the cluster and
/// taken work) still stops it gracefully. .NET's <c>RunAsync</c> lets that stop cancel the start, rethrows, and
/// only disposes the host: an Orleans silo disposed that way stops without draining its running bodies, whose
/// outcomes are then never written and whose tasks run again elsewhere. Here the interrupted start is followed
/// by the host's ordinary stop (every hosted service's <c>StopAsync</c>, the silo's drain included).
/// </summary>
public static partial class GracefulHostRun
{
    /// <summary>Starts <paramref name="host"/>, waits until it is asked to stop, stops it gracefully and disposes it.</summary>
    /// <remarks>
    /// A start that fails while no stop was asked for still throws (the process ends with the error). A start the stop
    /// interrupted is followed by the host's stop; a part that never started may refuse to stop (an Orleans silo
    /// stopped before it joined the cluster: it holds no work), which is logged, not thrown.
    /// </remarks>
    public static async Task RunGracefullyAsync(this IHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(GracefulHostRun));
        try
        {
            try
            {
                await host.StartAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (lifetime.ApplicationStopping.IsCancellationRequested)
            {
                LogStoppedWhileStarting(logger, ex.Message);
                try
                {
                    await host.StopAsync().ConfigureAwait(false);
                }
                catch (Exception stopFailure)
                {
                    LogPartlyStarted(logger, stopFailure.GetBaseException().Message);
                }

                return;
            }

            await host.WaitForShutdownAsync().ConfigureAwait(false);
        }
        finally
        {
            if (host is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                host.Dispose();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Asked to stop while starting ({Reason}): stopping gracefully, running bodies drained")]
    private static partial void LogStoppedWhileStarting(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopped before every part had started; what had not started could not stop: {Reason}")]
    private static partial void LogPartlyStarted(ILogger logger, string reason);
}
