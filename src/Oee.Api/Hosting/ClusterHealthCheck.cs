using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Oee.Grains.Contracts;

namespace Oee.Api.Hosting;

/// <summary>Healthy when a grain call through the cluster answers.</summary>
internal sealed class ClusterHealthCheck(IGrainFactory grains, IOptions<OeeApiOptions> options, TimeProvider time) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await grains.GetGrain<ISystemGrain>(0).QueueExists(TaskLimits.DefaultQueue, cancellationToken).WaitAsync(options.Value.HealthCheckTimeout, time, cancellationToken);
            return HealthCheckResult.Healthy("The cluster answers.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("The cluster does not answer.", ex);
        }
    }
}
