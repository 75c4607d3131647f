using Oee.Grains.Contracts;

namespace Oee.Grains.Tests.Cluster;

/// <summary>Runs on both storages: see <see cref="ClearFinishedTestsOnMemory"/> and <see cref="ClearFinishedTestsOnPostgres"/>.</summary>
public abstract class ClearFinishedTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Clears_finished_tasks_older_than_the_age_and_keeps_the_rest()
    {
        var orchestrator = fixture.Orchestrator;
        var queue = Waiting.Unique("clear");
        var finishedIds = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            finishedIds.Add((await orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "old", Handler = "echo", Queue = queue })).Task.Id);
        }

        await orchestrator.ForAllFinished(finishedIds);
        var pausedQueue = Waiting.Unique("clear-held");
        await orchestrator.ConfigureQueueAsync(pausedQueue, new QueueSettingsUpdate { Paused = true });
        var queued = await orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "keep", Handler = "echo", Queue = pausedQueue });

        Assert.Equal(0, await orchestrator.ClearFinishedAsync(TimeSpan.FromDays(1)));
        foreach (var id in finishedIds)
        {
            Assert.NotNull(await orchestrator.GetAsync(id));
        }

        var removed = await orchestrator.ClearFinishedAsync();
        Assert.True(removed >= 3, $"removed {removed}");
        foreach (var id in finishedIds)
        {
            Assert.Null(await orchestrator.GetAsync(id));
        }

        Assert.Empty((await orchestrator.ListAsync(new TaskQuery { Queue = queue })).Items);
        Assert.Equal(OeeTaskStatus.Queued, (await orchestrator.GetAsync(queued.Task.Id))!.Status);
        Assert.Equal(0, (await orchestrator.GetSystemStatusAsync()).TaskCounts[OeeTaskStatus.Done]);
    }
}

[Collection(MemoryClusterCollection.Name)]
public sealed class ClearFinishedTestsOnMemory(MemoryClusterFixture fixture) : ClearFinishedTests(fixture);

[Collection(PostgresClusterCollection.Name)]
public sealed class ClearFinishedTestsOnPostgres(PostgresClusterFixture fixture) : ClearFinishedTests(fixture);
