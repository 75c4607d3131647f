using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Oee.Grains.Client;
using Oee.Grains.Contracts;
using Oee.Grains.Handlers;
using Oee.Grains.Tasks;
using Oee.Grains.Workers;
using Orleans.TestingHost;

namespace Oee.Grains.Tests.Cluster;

/// <summary>
/// A one-silo cluster with one body slot, on a fake engine clock (a queue's lease checks run only when a test moves it),
/// whose calls to tasks can be lost on the way (<see cref="GrainCallFaults"/>).
/// </summary>
public sealed class LeaseCheckClusterFixture : IAsyncLifetime
{
    /// <summary>The queues' lease check interval (the default).</summary>
    public static readonly TimeSpan LeaseCheckInterval = TimeSpan.FromSeconds(10);

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2033, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public GrainCallFaults Faults { get; } = new();

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IOrchestrator Orchestrator { get; private set; } = null!;

    internal WorkerSlots Slots { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Cluster = await SingleSiloCluster.StartAsync(
            new()
            {
                ["Oee:WorkerSlotsPerSilo"] = "1",
                ["Oee:WarmUp:Enabled"] = "false",
                ["Oee:LeaseCheckInterval"] = LeaseCheckInterval.ToString("c"),
            },
            silo =>
            {
                silo.AddIncomingGrainCallFilter(Faults);
                silo.Services.AddTaskHandler<RecordingHandler>(RecordingHandler.Name);
            },
            Clock);
        Orchestrator = OrchestratorServiceCollectionExtensions.Create(Cluster.Client, Clock);
        Slots = Cluster.Silos[0].ServiceProvider.GetRequiredService<WorkerSlots>();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>
/// A queue's lease check (every <c>Oee:LeaseCheckInterval</c>) sends each task it dispatched the start again: a task whose
/// start was lost on the way starts then. That start is the one its dispatch was: at the level aging had raised the task
/// to, by which it waits for a slot on its silo (before, the lease check sent the plain start: the task waited at its
/// submitted priority, behind fresher tasks its queue had put after it). A paused queue's lease check starts no task that
/// has not started (before, it did: a task started while its queue was paused); the queue sends it its start on resume.
/// </summary>
public sealed class LeaseCheckTests(LeaseCheckClusterFixture fixture) : IClassFixture<LeaseCheckClusterFixture>
{
    private IOrchestrator Orchestrator => fixture.Orchestrator;

    [Fact]
    public async Task A_task_whose_aged_start_was_lost_is_started_by_the_lease_check_at_its_aged_level()
    {
        // The blocker holds the one slot. A priority-2 task waits in a paused queue that ages its tasks a level a second,
        // for ten seconds: level 10. A fresher priority-5 task of another queue waits on the silo for the slot.
        var blocker = await BlockerRunning("aged-lease");
        var agedQueue = Waiting.Unique("aged-lease-queue");
        await Orchestrator.ConfigureQueueAsync(agedQueue, new QueueSettingsUpdate { Paused = true, AgingInterval = TimeSpan.FromSeconds(1) });
        var aged = await Submit(agedQueue, "aged", 2, RecordingHandler.Instant);
        fixture.Clock.Advance(TimeSpan.FromSeconds(10));
        var fresh = await Submit(Waiting.Unique("fresh-queue"), "fresh", 5, RecordingHandler.Instant);
        await Waiting.Until(() => fixture.Slots.Waiting == 1, "the fresher task to wait on the silo for the slot");

        // Resumed, its queue dispatches the aged task at level 10; that start is lost on the way.
        var startAt = nameof(ITaskEngineGrain.StartAt);
        fixture.Faults.Drop(startAt, aged, StartResult.Accepted);
        try
        {
            await Orchestrator.ConfigureQueueAsync(agedQueue, new QueueSettingsUpdate { Paused = false });
            await Waiting.Until(() => fixture.Faults.Answered(startAt, aged) == 1, "the aged task's start to be lost");

            // The lease check starts it: it waits on the silo beside the fresher one.
            await Waiting.Until(
                () =>
                {
                    fixture.Clock.Advance(TimeSpan.FromSeconds(1));
                    return fixture.Slots.Waiting == 2;
                },
                "a lease check to start the aged task");
        }
        finally
        {
            fixture.Faults.Clear(startAt, aged);
        }

        // The slot goes to the aged task first, as its queue ordered it (at its priority 2 it would go after the 5).
        await Orchestrator.CancelAsync(blocker);
        var finished = await Orchestrator.ForAllFinished([aged, fresh]);
        Assert.All(finished, t => Assert.Equal((OeeTaskStatus.Done, 1), (t.Status, t.Attempt)));
        Assert.True(
            RecordingHandler.StartNumber(aged) < RecordingHandler.StartNumber(fresh),
            "The task aged to level 10 should take the slot before the fresher priority-5 task.");
    }

    [Fact]
    public async Task A_paused_queue_s_lease_check_does_not_start_a_task_whose_start_was_lost_and_its_resume_does()
    {
        // Dispatched (its queue resumed for a moment), its start lost on the way, then its queue paused again.
        var queue = Waiting.Unique("paused-lease");
        await Orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { Paused = true });
        var id = await Submit(queue, "lost", 0, RecordingHandler.Instant);
        var start = nameof(ITaskEngineGrain.Start);
        var get = nameof(ITaskGrain.Get);
        fixture.Faults.Drop(start, id, StartResult.Accepted);
        try
        {
            await Orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { Paused = false });
            await Waiting.Until(() => fixture.Faults.Answered(start, id) == 1, "the task's start to be lost");
        }
        finally
        {
            fixture.Faults.Clear(start, id);
        }

        Assert.Equal(1, (await Orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { Paused = true })).Running);

        // Two lease checks ask the task (before, the first sent it its start, and its body ran): it is not started.
        var asked = fixture.Faults.Answered(start, id) + fixture.Faults.Answered(get, id);
        await Waiting.Until(
            () =>
            {
                fixture.Clock.Advance(TimeSpan.FromSeconds(1));
                return fixture.Faults.Answered(start, id) + fixture.Faults.Answered(get, id) >= asked + 2 || RecordingHandler.StartsOf(queue).Count > 0;
            },
            "two lease checks of the paused queue to ask the task");
        Assert.Empty(RecordingHandler.StartsOf(queue));
        var held = await Orchestrator.GetAsync(id);
        Assert.Equal((OeeTaskStatus.Queued, 0), (held!.Status, held.Attempt));
        Assert.Equal(1, (await Orchestrator.GetQueueAsync(queue)).Running);

        // Resumed, the queue sends it its start at once (the engine clock stays where it is: no lease check runs).
        await Orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { Paused = false });
        var done = await Orchestrator.ForStatus(id, OeeTaskStatus.Done);
        Assert.Equal(1, done.Attempt);
        Assert.Equal([id], RecordingHandler.StartsOf(queue));
    }

    // A queue allowing 100 at once whose first task holds the cluster's one slot until cancelled.
    private async Task<string> BlockerRunning(string prefix)
    {
        var queue = Waiting.Unique(prefix);
        await Orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { MaxConcurrency = 100 });
        var blocker = await Submit(queue, "blocker", 0, RecordingHandler.HeldBy(BodyGates.New(prefix + "-blocker")));
        await Orchestrator.ForStatus(blocker, OeeTaskStatus.Running);
        return blocker;
    }

    private async Task<string> Submit(string queue, string name, int priority, string input) =>
        (await Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = name, Handler = RecordingHandler.Name, Queue = queue, Priority = priority, Input = input })).Task.Id;
}
