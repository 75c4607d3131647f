using Microsoft.Extensions.DependencyInjection;
using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using Oee.Grains.Client;
using Oee.Grains.Contracts;
using Oee.Grains.Handlers;
using Orleans.TestingHost;

namespace Oee.Grains.Tests.Cluster;

/// <summary>A one-silo cluster whose engine runs on a fake clock while Orleans keeps real time.</summary>
public sealed class FakeClockClusterFixture : IAsyncLifetime
{
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IOrchestrator Orchestrator { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Cluster = await SingleSiloCluster.StartAsync(
            new()
            {
                // Off by default; on here, so that QueueLeaveLingerTests test it and every fake-clock test
                // shows that a lingering leave never waits for the engine clock.
                ["Oee:QueueLeaveLinger"] = "00:00:00.002",
            },
            silo => silo.Services.AddTaskHandler<ClockWaitHandler>(ClockWaitHandler.Name),
            Clock);
        Orchestrator = OrchestratorServiceCollectionExtensions.Create(Cluster.Client, Clock);
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>Every timestamp and wait of the engine reads the engine's clock, so a test can drive time.</summary>
public sealed class EngineClockTests(FakeClockClusterFixture fixture) : IClassFixture<FakeClockClusterFixture>
{
    [Fact]
    public async Task An_hour_long_body_finishes_when_the_engine_clock_has_moved_an_hour()
    {
        var start = fixture.Clock.GetUtcNow();
        var submitted = await fixture.Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "hour", Handler = ClockWaitHandler.Name, Input = "{\"ms\": 3600000}" });
        Assert.Equal(start, submitted.Task.CreatedAt);

        // Move the clock only once the body's wait is set, however long getting there takes.
        await ClockWaitHandler.Waiting(submitted.Task.Id).WaitAsync(TimeSpan.FromSeconds(60));
        var running = await fixture.Orchestrator.GetAsync(submitted.Task.Id);
        Assert.Equal(OeeTaskStatus.Running, running!.Status);
        Assert.Equal(start, running.StartedAt);

        // The body waits on the engine clock: short of the hour it cannot finish, however long real time takes.
        fixture.Clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(OeeTaskStatus.Running, (await fixture.Orchestrator.GetAsync(submitted.Task.Id))!.Status);

        fixture.Clock.Advance(TimeSpan.FromMinutes(1));
        var done = await fixture.Orchestrator.ForStatus(submitted.Task.Id, OeeTaskStatus.Done);
        Assert.Equal(start + TimeSpan.FromHours(1), done.CompletedAt);
        Assert.Equal("3600000", done.Result);
    }

    [Fact]
    public async Task Finished_tasks_are_removed_once_older_than_their_status_retention()
    {
        var done = (await fixture.Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "kept a day", Handler = "echo", Input = "1" })).Task.Id;
        var failed = (await fixture.Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "kept a week", Handler = "fail", Input = "{\"message\":\"no\"}" })).Task.Id;
        await fixture.Orchestrator.ForStatus(done, OeeTaskStatus.Done);
        await fixture.Orchestrator.ForStatus(failed, OeeTaskStatus.Error);

        // A day and a bit later (the sweep runs every minute of the engine clock) the done task is gone.
        fixture.Clock.Advance(TimeSpan.FromHours(24));
        await Waiting.Until(
            async () =>
            {
                fixture.Clock.Advance(TimeSpan.FromMinutes(1));
                return await fixture.Orchestrator.GetAsync(done) is null;
            },
            "the done task to be removed after a day");
        Assert.DoesNotContain((await fixture.Orchestrator.ListAsync(new TaskQuery { Status = OeeTaskStatus.Done })).Items, t => t.Id == done);

        // The failed one is kept for a week: there on day 6, gone after day 7.
        Assert.Equal(OeeTaskStatus.Error, (await fixture.Orchestrator.GetAsync(failed))!.Status);
        fixture.Clock.Advance(TimeSpan.FromDays(5));
        fixture.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.NotNull(await fixture.Orchestrator.GetAsync(failed));
        fixture.Clock.Advance(TimeSpan.FromDays(1));
        await Waiting.Until(
            async () =>
            {
                fixture.Clock.Advance(TimeSpan.FromMinutes(1));
                return await fixture.Orchestrator.GetAsync(failed) is null;
            },
            "the failed task to be removed after a week");
    }

    [Fact]
    public async Task A_start_rate_starts_the_next_task_when_the_engine_clock_brings_its_token()
    {
        var queue = Waiting.Unique("rate");
        var t0 = fixture.Clock.GetUtcNow();
        await fixture.Orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { StartRate = 0.01, StartBurst = 1 });
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await fixture.Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = $"t{i}", Handler = "echo", Queue = queue, Input = $"{i}" })).Task.Id);
        }

        // The bucket's one token goes to the first; the next comes 100 s later on the engine clock.
        var first = await fixture.Orchestrator.ForStatus(ids[0], OeeTaskStatus.Done);
        Assert.Equal(t0, first.StartedAt);
        fixture.Clock.Advance(TimeSpan.FromSeconds(99));
        Assert.Equal(OeeTaskStatus.Queued, (await fixture.Orchestrator.GetAsync(ids[1]))!.Status);

        fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        var second = await fixture.Orchestrator.ForStatus(ids[1], OeeTaskStatus.Done);
        Assert.Equal(t0 + TimeSpan.FromSeconds(100), second.StartedAt);
        Assert.Equal(OeeTaskStatus.Queued, (await fixture.Orchestrator.GetAsync(ids[2]))!.Status);

        fixture.Clock.Advance(TimeSpan.FromSeconds(100));
        var third = await fixture.Orchestrator.ForStatus(ids[2], OeeTaskStatus.Done);
        Assert.Equal(t0 + TimeSpan.FromSeconds(200), third.StartedAt);
    }
}

/// <summary><c>clock-wait</c>: waits <c>{"ms": n}</c> on the task's clock, and says when its wait is set.</summary>
public sealed class ClockWaitHandler : TaskHandler<ClockWaitHandler.Input, int>
{
    public const string Name = "clock-wait";

    private static readonly ConcurrentDictionary<string, TaskCompletionSource> WaitsSet = new();

    /// <summary>Completes once the task's body has set its wait on the clock.</summary>
    public static Task Waiting(string taskId) => Signal(taskId).Task;

    protected override async Task<int> HandleAsync(Input input, TaskContext context)
    {
        var wait = Task.Delay(TimeSpan.FromMilliseconds(input.Ms), context.Time, context.CancellationToken);
        Signal(context.TaskId).TrySetResult();
        await wait;
        return input.Ms;
    }

    private static TaskCompletionSource Signal(string taskId) =>
        WaitsSet.GetOrAdd(taskId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public sealed record Input(int Ms);
}
