using Microsoft.Extensions.DependencyInjection;
using Oee.Grains.Contracts;
using Oee.Grains.Storage;

namespace Oee.Grains.Tests.Cluster;

/// <summary>The dependency sweep's timing on the engine clock (default interval: 1 minute).</summary>
public sealed class DependencySweepClockTests(FakeClockClusterFixture fixture) : IClassFixture<FakeClockClusterFixture>
{
    [Fact]
    public async Task A_lost_finish_message_is_made_good_by_the_first_sweep_after_the_task_waited_an_interval()
    {
        var orchestrator = fixture.Orchestrator;
        var done = (await orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "dependency", Handler = "echo", Input = "1" })).Task.Id;
        await orchestrator.ForStatus(done, OeeTaskStatus.Done);

        // A waiting task whose dependency is done and will never tell it (as if the message was lost with a silo).
        var orphan = Waiting.Unique("orphan");
        var store = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<ITaskStore>();
        await store.Write(fixture.Cluster.Client.GetGrain<ITaskGrain>(orphan).GetGrainId(), new TaskRecord
        {
            Id = orphan,
            Name = "orphan",
            Handler = "echo",
            Queue = TaskLimits.DefaultQueue,
            Input = "2",
            Status = OeeTaskStatus.Waiting,
            CreatedAt = fixture.Clock.GetUtcNow(),
            DependsOn = [done],
            PendingDependencies = [done],
            MaxAttempts = 3,
            Version = 1,
        }, etag: null);

        // Half an interval on: no sweep has run since it was stored.
        fixture.Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(OeeTaskStatus.Waiting, (await orchestrator.GetAsync(orphan))!.Status);

        // A sweep that finds it waiting for at least an interval asks its dependency again.
        await Waiting.Until(
            async () =>
            {
                fixture.Clock.Advance(TimeSpan.FromSeconds(30));
                return (await orchestrator.GetAsync(orphan))!.Status == OeeTaskStatus.Done;
            },
            "the sweep to run the orphan");
        Assert.Equal("2", (await orchestrator.GetAsync(orphan))!.Result);
    }
}
