using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Runtime;

namespace Oee.Silo.Hosting;

/// <summary>Ready when this silo has joined the cluster: its membership status is Active.</summary>
internal sealed class SiloActiveHealthCheck(ISiloStatusOracle membership) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = membership.CurrentStatus;
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy("The silo is Active in the cluster.")
            : HealthCheckResult.Unhealthy($"The silo is {status}, not Active in the cluster."));
    }
}

/// <summary>Ready when the database answers a query within <see cref="OeeSiloHttpOptions.HealthCheckTimeout"/> (PostgreSQL mode; always ready in memory mode).</summary>
internal sealed class DatabaseHealthCheck(IServiceProvider services, IOptions<OeeSiloHttpOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (services.GetService<NpgsqlDataSource>() is not { } database)
        {
            return HealthCheckResult.Healthy("Memory mode: no database.");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.HealthCheckTimeout);
        try
        {
            await using var command = database.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(timeout.Token);
            return HealthCheckResult.Healthy("The database answers.");
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy(
                timeout.IsCancellationRequested ? $"The database did not answer within {options.Value.HealthCheckTimeout:c}." : $"The database does not answer: {ex.Message}",
                ex);
        }
    }
}
