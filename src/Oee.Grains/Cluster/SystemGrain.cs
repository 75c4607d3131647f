using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Oee.Grains.Configuration;
using Oee.Grains.Contracts;
using Oee.Grains.Queues;
using Oee.Grains.Storage;
using Oee.Grains.Time;
using Orleans.Runtime;
using SiloStatus = Oee.Grains.Contracts.SiloStatus;

namespace Oee.Grains.Cluster;

/// <summary>Assembles the cluster's status from membership, each silo's slots, the queues and the index.</summary>
[StatelessWorker]
internal sealed class SystemGrain(
    IGrainFactory grains,
    ITaskIndex index,
    IOptions<OeeOptions> options,
    [FromKeyedServices(OeeClock.ServiceKey)] TimeProvider time) : Grain, ISystemGrain
{
    async Task<SystemStatus> ISystemGrain.GetStatus(CancellationToken cancellationToken)
    {
        var silosTask = GetSilos();
        var queuesTask = ListQueues(cancellationToken);
        var countsTask = index.CountByStatus();
        await Task.WhenAll(silosTask, queuesTask, countsTask);
        return new SystemStatus { Silos = silosTask.Result, Queues = queuesTask.Result, TaskCounts = countsTask.Result };
    }

    Task<QueueStatus[]> ISystemGrain.ListQueues(CancellationToken cancellationToken) => ListQueues(cancellationToken);

    Task<bool> ISystemGrain.QueueExists(string name, CancellationToken cancellationToken) => Directory.Contains(name);

    private IQueueDirectoryGrain Directory => grains.GetGrain<IQueueDirectoryGrain>(0);

    private async Task<QueueStatus[]> ListQueues(CancellationToken cancellationToken)
    {
        var names = await Directory.List();
        return await Task.WhenAll(names.Select(n => grains.Reference<IQueueGrain>(n).GetStatus(cancellationToken)));
    }

    private async Task<SiloStatus[]> GetSilos()
    {
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: true);
        var silos = await Task.WhenAll(hosts.Select(async host =>
        {
            // A silo that membership still lists but that does not answer (it may be dying) is
            // reported as such rather than failing the whole status.
            var address = host.SiloAddress.ToParsableString();
            WorkerSlotUsage? usage = null;
            try
            {
                usage = await grains.GetGrain<ISiloWorkerGrain>(address).GetUsage().WaitAsync(options.Value.SiloStatusTimeout, time);
            }
            catch (Exception ex) when (ex is TimeoutException or OrleansException or InvalidOperationException)
            {
            }

            return new SiloStatus
            {
                Address = address,
                Name = host.SiloName,
                Status = usage is null ? "unreachable" : host.Status.ToString().ToLowerInvariant(),
                WorkerSlotsBusy = usage?.Busy ?? 0,
                WorkerSlotsTotal = usage?.Total ?? 0,
                AbandonedBodies = usage?.Abandoned ?? 0,
            };
        }));
        return [.. silos.OrderBy(s => s.Name, StringComparer.Ordinal)];
    }
}
