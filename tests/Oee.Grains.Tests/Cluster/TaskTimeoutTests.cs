using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Oee.Grains.Client;
using Oee.Grains.Contracts;
using Oee.Grains.Handlers;
using Orleans.TestingHost;

namespace Oee.Grains.Tests.Cluster;

/// <summary>A one-silo cluster on a fake engine clock, with bodies that honour or ignore their token.</summary>
public sealed class TimeoutClusterFixture : IAsyncLifetime
{
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IOrchestrator Orchestrator { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Cluster = await SingleSiloCluster.StartAsync(
            new() { ["Oee:TimeoutGrace"] = Grace.ToString("c") },
            silo =>
            {
                silo.Services.AddTaskHandler<ClockWaitHandler>(ClockWaitHandler.Name);
                silo.Services.AddTaskHandler<StubbornHandler>(StubbornHandler.Name);
            },
            Clock);
        Orchestrator = OrchestratorServiceCollectionExtensions.Create(Cluster.Client, Clock);
    }

    public async Task DisposeAsync()
    {
        StubbornHandler.ReleaseAll();
        await Cluster.DisposeAsync();
    }
}

/// <summary>A task's timeout, on the engine clock: the body is told to stop, or abandoned when it does not.</summary>
public sealed class TaskTimeoutTests(TimeoutClusterFixture fixture) : IClassFixture<TimeoutClusterFixture>
{
    [Fact]
    public async Task A_body_running_past_its_timeout_is_cancelled_and_the_task_ends_in_error_of_type_timeout()
    {
        var start = fixture.Clock.GetUtcNow();
        var submitted = await fixture.Orchestrator.SubmitAsync(new SubmitTaskRequest
        {
            Name = "slow", Handler = ClockWaitHandler.Name, Input = "{\"ms\": 3600000}", Timeout = TimeSpan.FromMinutes(10), MaxAttempts = 1,
        });
        Assert.Equal(TimeSpan.FromMinutes(10), submitted.Task.Timeout);
        await ClockWaitHandler.Waiting(submitted.Task.Id).WaitAsync(TimeSpan.FromSeconds(60));

        // Short of the timeout the body runs on, however long real time takes.
        fixture.Clock.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(OeeTaskStatus.Running, (await fixture.Orchestrator.GetAsync(submitted.Task.Id))!.Status);

        fixture.Clock.Advance(TimeSpan.FromMinutes(1));
        var failed = await fixture.Orchestrator.ForStatus(submitted.Task.Id, OeeTaskStatus.Error);
        Assert.Equal("Timeout", failed.Error!.Type);
        Assert.Contains("00:10:00", failed.Error.Message, StringComparison.Ordinal);
        Assert.Equal(start + TimeSpan.FromMinutes(10), failed.CompletedAt);
        Assert.Equal(1, failed.Attempt);
    }

    [Fact]
    public async Task A_body_that_finishes_within_its_timeout_is_done()
    {
        var submitted = await fixture.Orchestrator.SubmitAsync(new SubmitTaskRequest
        {
            Name = "quick enough", Handler = ClockWaitHandler.Name, Input = "{\"ms\": 60000}", Timeout = TimeSpan.FromMinutes(2),
        });
        await ClockWaitHandler.Waiting(submitted.Task.Id).WaitAsync(TimeSpan.FromSeconds(60));
        fixture.Clock.Advance(TimeSpan.FromMinutes(1));
        var done = await fixture.Orchestrator.ForStatus(submitted.Task.Id, OeeTaskStatus.Done);
        Assert.Equal("60000", done.Result);
    }

    [Fact]
    public async Task A_body_that_ignores_its_token_is_abandoned_after_the_grace_its_slot_freed_and_counted()
    {
        var before = await AbandonedSoFar();
        var submitted = await fixture.Orchestrator.SubmitAsync(new SubmitTaskRequest
        {
            Name = "stubborn", Handler = StubbornHandler.Name, Input = "{}", Timeout = TimeSpan.FromMinutes(1), MaxAttempts = 1,
        });
        var id = submitted.Task.Id;
        await StubbornHandler.Started(id).WaitAsync(TimeSpan.FromSeconds(60));

        // The timeout passes: the token fires, the body ignores it, so the task still runs during the grace.
        fixture.Clock.Advance(TimeSpan.FromMinutes(1));
        await StubbornHandler.TokenSeen(id).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(OeeTaskStatus.Running, (await fixture.Orchestrator.GetAsync(id))!.Status);

        fixture.Clock.Advance(TimeoutClusterFixture.Grace);
        var failed = await fixture.Orchestrator.ForStatus(id, OeeTaskStatus.Error);
        Assert.Equal("Timeout", failed.Error!.Type);
        Assert.Contains("abandoned", failed.Error.Message, StringComparison.Ordinal);
        Assert.Equal(before + 1, await AbandonedSoFar());

        // Its slot is free although the body still runs: the silo reports no body busy.
        await Waiting.Until(async () => (await fixture.Orchestrator.GetSystemStatusAsync()).Silos.Sum(s => s.WorkerSlotsBusy) == 0, "the abandoned body's slot to be freed");

        // When the body finally returns, its late result changes nothing.
        StubbornHandler.Release(id);
        await StubbornHandler.Returned(id).WaitAsync(TimeSpan.FromSeconds(60));
        var after = await fixture.Orchestrator.GetAsync(id);
        Assert.Equal(OeeTaskStatus.Error, after!.Status);
        Assert.Equal(failed.Version, after.Version);
    }

    [Fact]
    public async Task A_timeout_longer_than_a_timer_takes_in_one_go_passes_and_a_body_returning_after_it_is_timed_out()
    {
        // A .NET timer takes at most ~49.7 days in one go; timeouts go to 365 days (before session 24 such a task's
        // attempt failed as soon as its body started).
        var submitted = await fixture.Orchestrator.SubmitAsync(new SubmitTaskRequest
        {
            Name = "long", Handler = StubbornHandler.Name, Input = "{}", Timeout = TimeSpan.FromDays(100), MaxAttempts = 1,
        });
        var id = submitted.Task.Id;
        await StubbornHandler.Started(id).WaitAsync(TimeSpan.FromSeconds(60));

        fixture.Clock.Advance(TimeSpan.FromDays(60));
        fixture.Clock.Advance(TimeSpan.FromDays(40) - TimeSpan.FromSeconds(1));
        Assert.Equal(OeeTaskStatus.Running, (await fixture.Orchestrator.GetAsync(id))!.Status);
        Assert.False(StubbornHandler.TokenSeen(id).IsCompleted);

        // The timeout passes: the token fires, and the body returns a result after it, which does not count.
        fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        await StubbornHandler.TokenSeen(id).WaitAsync(TimeSpan.FromSeconds(60));
        StubbornHandler.Release(id);
        var failed = await fixture.Orchestrator.ForStatus(id, OeeTaskStatus.Error);
        Assert.Equal("Timeout", failed.Error!.Type);
        Assert.DoesNotContain("abandoned", failed.Error.Message, StringComparison.Ordinal);
        Assert.Null(failed.Result);
    }

    private async Task<long> AbandonedSoFar() => (await fixture.Orchestrator.GetSystemStatusAsync()).Silos.Sum(s => s.AbandonedBodies);
}

/// <summary>A body that ignores its cancellation token until the test releases it.</summary>
public sealed class StubbornHandler : TaskHandler<StubbornHandler.Input, string>
{
    public const string Name = "stubborn";

    private static readonly ConcurrentDictionary<(string, string), TaskCompletionSource> Signals = new();

    public static Task Started(string taskId) => Signal(taskId, "started").Task;

    public static Task TokenSeen(string taskId) => Signal(taskId, "token").Task;

    public static Task Returned(string taskId) => Signal(taskId, "returned").Task;

    public static void Release(string taskId) => Signal(taskId, "release").TrySetResult();

    public static void ReleaseAll()
    {
        foreach (var ((_, kind), signal) in Signals)
        {
            if (kind == "release")
            {
                signal.TrySetResult();
            }
        }
    }

    protected override async Task<string> HandleAsync(Input input, TaskContext context)
    {
        using var seen = context.CancellationToken.Register(() => Signal(context.TaskId, "token").TrySetResult());
        Signal(context.TaskId, "started").TrySetResult();
        await Signal(context.TaskId, "release").Task;
        Signal(context.TaskId, "returned").TrySetResult();
        return "late";
    }

    private static TaskCompletionSource Signal(string taskId, string kind) =>
        Signals.GetOrAdd((taskId, kind), _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public sealed record Input;
}
