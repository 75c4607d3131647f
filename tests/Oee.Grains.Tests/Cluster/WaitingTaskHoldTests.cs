using Microsoft.Extensions.DependencyInjection;
using Oee.Grains.Client;
using Oee.Grains.Contracts;
using Oee.Grains.Tasks;

namespace Oee.Grains.Tests.Cluster;

/// <summary>
/// Waiting tasks' activations kept within the silos' budget (<see cref="WaitingTaskHolds"/>), and given back:
/// when the task no longer waits, and when the hold time (<see cref="ClusterFixture.WaitingTaskHoldTime"/>) passes.
/// The tests of this collection run one after another, so the budget's charge is theirs alone once earlier
/// tests' holds have ended.
/// </summary>
[Collection(MemoryClusterCollection.Name)]
public sealed class WaitingTaskHoldTests(MemoryClusterFixture fixture)
{
    private IOrchestrator Orchestrator => fixture.Orchestrator;

    private IClusterClient Client => fixture.Cluster.Client;

    [Fact]
    public async Task A_waiting_task_keeps_its_activation_and_charge_until_its_dependency_finishes()
    {
        await NoHolds("earlier tests' holds to end");
        var queue = Waiting.Unique("hold");
        var rootGate = BodyGates.New("hold-root");
        var dependentGate = BodyGates.New("hold-dependent");
        var root = (await Orchestrator.SubmitAsync(Request(Waiting.Unique("root"), queue, RecordingHandler.HeldBy(rootGate)))).Task.Id;
        var dependent = await Orchestrator.SubmitAsync(Request(Waiting.Unique("dependent"), queue, RecordingHandler.HeldBy(dependentGate), root));
        Assert.Equal(OeeTaskStatus.Waiting, dependent.Task.Status);

        // Charged once, for its record, and its activation is there for the dependency's message.
        Assert.Equal(WaitingTaskHolds.ChargeOf(dependent.Task), Held());
        Assert.NotNull(await Management.GetActivationAddress(Client.GetGrain<ITaskGrain>(dependent.Task.Id)));

        // Running (its body held), it waits no more: its charge is back at once, not when its hold time ends.
        BodyGates.Open(rootGate);
        await Orchestrator.ForStatus(dependent.Task.Id, OeeTaskStatus.Running);
        Assert.Equal(0, Held());

        BodyGates.Open(dependentGate);
        await Orchestrator.ForStatus(dependent.Task.Id, OeeTaskStatus.Done);
    }

    [Fact]
    public async Task After_the_hold_time_a_waiting_task_lets_its_activation_go_and_still_runs_when_its_dependency_finishes()
    {
        var queue = Waiting.Unique("hold-ends");
        var gate = BodyGates.New("hold-ends");
        var root = (await Orchestrator.SubmitAsync(Request(Waiting.Unique("root"), queue, RecordingHandler.HeldBy(gate)))).Task.Id;
        var dependent = (await Orchestrator.SubmitAsync(Request(Waiting.Unique("dependent"), queue, RecordingHandler.Instant, root))).Task.Id;

        await NoHolds("the hold to end while the root still runs");
        await Client.ForNoActivation(Client.GetGrain<ITaskGrain>(dependent), "the waiting task's activation to go after the hold time");
        Assert.Equal(OeeTaskStatus.Waiting, (await Orchestrator.GetAsync(dependent))!.Status);

        BodyGates.Open(gate);
        await Orchestrator.ForStatus(dependent, OeeTaskStatus.Done);
    }

    [Fact]
    public async Task A_task_told_of_a_finished_dependency_before_its_submit_is_kept_for_it_and_runs_once_submitted()
    {
        var queue = Waiting.Unique("told-early");
        var done = (await Orchestrator.SubmitAsync(Request(Waiting.Unique("done"), queue, RecordingHandler.Instant))).Task.Id;
        await Orchestrator.ForStatus(done, OeeTaskStatus.Done);
        await NoHolds("earlier tests' holds to end");

        // As when a batch registered its dependents with their dependency before submitting them.
        var early = Waiting.Unique("early");
        await TellFinished(early, done, OeeTaskStatus.Done);
        Assert.NotNull(await Management.GetActivationAddress(Client.GetGrain<ITaskGrain>(early)));

        // Submitted, its dependency done, it is stored and dispatched: held no longer, from the submit's answer on.
        var submitted = await Orchestrator.SubmitAsync(Request(early, queue, RecordingHandler.Instant, done));
        Assert.NotEqual(OeeTaskStatus.Waiting, submitted.Task.Status);
        Assert.Equal(0, Held());
        await Orchestrator.ForStatus(early, OeeTaskStatus.Done);

        // One told but never submitted lets its activation go after the hold time, leaving nothing behind.
        var never = Waiting.Unique("never");
        await TellFinished(never, done, OeeTaskStatus.Done);
        await NoHolds("the never-submitted task's hold to end");
        await Client.ForNoActivation(Client.GetGrain<ITaskGrain>(never), "the never-submitted task's activation to go");
        Assert.Null(await Orchestrator.GetAsync(never));
    }

    [Fact]
    public async Task A_task_kept_before_its_submit_is_held_no_longer_once_submitted_finished_or_without_dependencies()
    {
        var queue = Waiting.Unique("kept-then");
        var failing = Request(Waiting.Unique("failed"), queue, "{\"message\":\"broke\"}") with { Handler = "fail" };
        var failed = (await Orchestrator.SubmitAsync(failing)).Task.Id;
        await Orchestrator.ForStatus(failed, OeeTaskStatus.Error);
        await NoHolds("earlier tests' holds to end");

        // Its dependency failed: it is stored cancelled, and its activation goes with its charge given back.
        var doomed = Waiting.Unique("doomed");
        await TellFinished(doomed, failed, OeeTaskStatus.Error);
        var cancelled = await Orchestrator.SubmitAsync(Request(doomed, queue, RecordingHandler.Instant, failed));
        Assert.Equal(OeeTaskStatus.Cancelled, cancelled.Task.Status);
        Assert.Equal(0, Held());

        // Submitted without dependencies (its body held): stored, it is held no longer while it runs.
        var gate = BodyGates.New("kept-then");
        var plain = Waiting.Unique("plain");
        await TellFinished(plain, failed, OeeTaskStatus.Error);
        await Orchestrator.SubmitAsync(Request(plain, queue, RecordingHandler.HeldBy(gate)));
        Assert.Equal(0, Held());
        await Orchestrator.ForStatus(plain, OeeTaskStatus.Running);
        BodyGates.Open(gate);
        await Orchestrator.ForStatus(plain, OeeTaskStatus.Done);
    }

    /// <summary>A dependency's one-way finish message to a task not stored yet; answers once its activation is kept for it.</summary>
    private async Task TellFinished(string taskId, string dependencyId, OeeTaskStatus status)
    {
        var before = Held();
        await Client.GetGrain<ITaskEngineGrain>(taskId).DependencyFinished(dependencyId, status);
        await Waiting.Until(() => Held() == before + WaitingTaskHolds.BaseCharge, $"task {taskId}'s activation to be kept for its submit");
    }

    private IManagementGrain Management => Client.GetGrain<IManagementGrain>(0);

    private long Held() => fixture.Cluster.Silos.Sum(s => s.ServiceProvider.GetRequiredService<WaitingTaskHolds>().Held);

    private Task NoHolds(string what) => Waiting.Until(() => Held() == 0, what);

    private static SubmitTaskRequest Request(string id, string queue, string input, params string[] dependsOn) => new()
    {
        Id = id,
        Name = id,
        Handler = RecordingHandler.Name,
        Queue = queue,
        Input = input,
        DependsOn = dependsOn.Length == 0 ? null : dependsOn,
    };
}
