using Microsoft.Extensions.Options;
using Oee.Api.Hosting;
using Oee.Grains.Client;
using Oee.Grains.Errors;

namespace Oee.Api.Dashboard;

/// <summary>Samples every queue each <see cref="OeeDashboardOptions.SampleInterval"/> into a <see cref="QueueHistory"/> for the dashboard's charts.</summary>
internal sealed partial class QueueHistorySampler(
    IOrchestrator orchestrator,
    IOptions<OeeDashboardOptions> options,
    TimeProvider time,
    ILogger<QueueHistorySampler> logger) : BackgroundService
{
    private readonly Lock gate = new();
    private readonly QueueHistory history = new(options.Value.HistoryWindow);

    /// <summary>The sampling interval.</summary>
    public TimeSpan Interval => options.Value.SampleInterval;

    /// <summary>The samples in the window, oldest first.</summary>
    public DashboardSample[] Snapshot()
    {
        lock (gate)
        {
            return history.Snapshot();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            await SampleOnce(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task SampleOnce(CancellationToken stoppingToken)
    {
        try
        {
            var queues = await orchestrator.ListQueuesAsync(stoppingToken);
            lock (gate)
            {
                history.Record(time.GetUtcNow(), queues);
            }
        }
        catch (Exception ex) when (ex is OeeUnavailableException or TimeoutException or InvalidOperationException or Orleans.Runtime.OrleansException)
        {
            // The cluster is starting, stopping or unreachable: this sample is skipped, the next one tries again.
            LogSampleSkipped(logger, ex.Message);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            // A failed sample must never stop the API (a background service's exception would): the charts just miss a point.
            LogSampleFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Dashboard history: sample skipped ({Reason})")]
    private static partial void LogSampleSkipped(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dashboard history: sample failed")]
    private static partial void LogSampleFailed(ILogger logger, Exception exception);
}
