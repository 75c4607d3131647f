using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Oee.Grains.Cluster;
using Oee.Grains.Configuration;
using Oee.Grains.Events;
using Oee.Grains.Queues;
using Oee.Grains.Storage;
using Oee.Grains.Time;
using Oee.Grains.Workers;
using Orleans.Runtime;

namespace Oee.Grains.Tasks;

/// <summary>
/// The silo's services a <see cref="TaskGrain"/> uses, in one singleton: every task is a new
/// activation, and resolving one object instead of fifteen makes each activation cheaper to build
/// and smaller to hold. Each of them is a singleton itself.
/// </summary>
internal sealed class TaskGrainServices(
    ITaskStore store,
    ITaskIndex index,
    WorkerSlots slots,
    LocalAttempts localAttempts,
    QueueLeaves leaves,
    QueueReferences queues,
    AttemptWhereabouts whereabouts,
    SubmitPolicy policy,
    IOptions<OeeOptions> options,
    ILocalSiloDetails silo,
    SiloStopping stopping,
    IGrainFactory grains,
    TaskEventPublisher events,
    WaitingTaskHolds holds,
    [FromKeyedServices(OeeClock.ServiceKey)] TimeProvider time,
    ILogger<TaskGrain> logger)
{
    public ITaskStore Store => store;

    public ITaskIndex Index => index;

    public WorkerSlots Slots => slots;

    public LocalAttempts LocalAttempts => localAttempts;

    public QueueLeaves Leaves => leaves;

    public QueueReferences Queues => queues;

    public AttemptWhereabouts Whereabouts => whereabouts;

    public SubmitPolicy Policy => policy;

    public IOptions<OeeOptions> Options => options;

    public ILocalSiloDetails Silo => silo;

    public SiloStopping Stopping => stopping;

    public IGrainFactory Grains => grains;

    public TaskEventPublisher Events => events;

    public WaitingTaskHolds Holds => holds;

    public TimeProvider Time => time;

    public ILogger<TaskGrain> Logger => logger;
}
