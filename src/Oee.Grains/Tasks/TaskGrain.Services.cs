using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Oee.Grains.Cluster;
using Oee.Grains.Configuration;
using Oee.Grains.Events;
using Oee.Grains.Queues;
using Oee.Grains.Storage;
using Oee.Grains.Workers;
using Orleans.Runtime;

namespace Oee.Grains.Tasks;

/// <summary>
/// The task grain's services, read from its one injected <see cref="TaskGrainServices"/> under the
/// names the grain's code uses.
/// </summary>
internal sealed partial class TaskGrain
{
    private ITaskStore store => services.Store;

    private ITaskIndex index => services.Index;

    private WorkerSlots slots => services.Slots;

    private LocalAttempts localAttempts => services.LocalAttempts;

    private QueueLeaves leaves => services.Leaves;

    private QueueReferences queues => services.Queues;

    private AttemptWhereabouts whereabouts => services.Whereabouts;

    private SubmitPolicy policy => services.Policy;

    private IOptions<OeeOptions> options => services.Options;

    private ILocalSiloDetails silo => services.Silo;

    private SiloStopping stopping => services.Stopping;

    private IGrainFactory grains => services.Grains;

    private TaskEventPublisher events => services.Events;

    private TimeProvider time => services.Time;

    private ILogger<TaskGrain> logger => services.Logger;
}
