using Microsoft.Extensions.DependencyInjection;
using Oee.Grains.Contracts;
using Oee.Grains.Queues;
using Oee.Grains.Tasks;
using Oee.Grains.Time;
using Oee.Grains.Workers;
using Orleans.Placement;
using Orleans.Serialization;

namespace Oee.Grains.WarmUp;

/// <summary>The warm-up's engine round (<see cref="IWarmUpGrain"/>): the task path's pure code, with nothing stored or published.</summary>
[PreferLocalPlacement]
internal sealed class WarmUpGrain(
    SubmitPolicy policy,
    Serializer serializer,
    [FromKeyedServices(OeeClock.ServiceKey)] TimeProvider time) : Grain, IWarmUpGrain
{
    private const string Silo = "warm-up";

    Task<TaskRecord> IWarmUpGrain.Run(SubmitTaskRequest request)
    {
        var id = this.GetPrimaryKeyString();
        var now = time.GetUtcNow();
        var scheduler = new QueueScheduler(defaultMaxConcurrency: 1);
        var sequence = scheduler.Enqueue(id, SubmitPolicy.PriorityOf(request), now: now).Entry.Sequence;
        var accepted = policy.Accept(id, request, sequence, now);
        var started = TaskStateMachine.Apply(accepted, new TaskCommand.Start(Silo), now).Task;
        var done = TaskStateMachine.Apply(started, new TaskCommand.Complete(started.Attempt, TaskOutcome.Succeeded(request.Input)), now).Task;
        foreach (var entry in scheduler.TakeStarts(now))
        {
            scheduler.Leave(entry.TaskId);
        }

        // Memory and PostgreSQL storage both keep a record in Orleans' binary format.
        var stored = serializer.Deserialize<TaskRecord>(serializer.SerializeToArray(done));
        DeactivateOnIdle();
        return Task.FromResult(stored ?? done);
    }
}
