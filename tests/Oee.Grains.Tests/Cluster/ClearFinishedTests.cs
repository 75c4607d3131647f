using Microsoft.Extensions.DependencyInjection;
using Oee.Grains.Contracts;
using Oee.Grains.Storage;

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

    [Fact]
    public async Task A_clear_keeps_a_finished_child_while_its_parent_runs_and_removes_it_once_the_parent_finished()
    {
        // As a pipeline's stage task: done, while the pipeline that reads it still runs. Before, the clear removed it.
        var orchestrator = fixture.Orchestrator;
        var queue = Waiting.Unique("clear-child");
        var gate = BodyGates.New("clear-parent");
        var parent = (await orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "parent", Handler = RecordingHandler.Name, Queue = queue, Input = RecordingHandler.HeldBy(gate) })).Task.Id;
        await orchestrator.ForStatus(parent, OeeTaskStatus.Running);
        var child = (await orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "stage", Handler = "echo", Input = "1", Queue = queue, ParentId = parent })).Task.Id;
        var orphan = (await orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "orphan", Handler = "echo", Input = "2", Queue = queue, ParentId = Waiting.Unique("gone") })).Task.Id;
        await orchestrator.ForAllFinished([child, orphan]);

        await orchestrator.ClearFinishedAsync();
        Assert.Equal(OeeTaskStatus.Done, (await orchestrator.GetAsync(child))?.Status);
        Assert.Null(await orchestrator.GetAsync(orphan));

        BodyGates.Open(gate);
        await orchestrator.ForStatus(parent, OeeTaskStatus.Done);
        Assert.True(await orchestrator.ClearFinishedAsync() >= 2);
        Assert.Null(await orchestrator.GetAsync(child));
        Assert.Null(await orchestrator.GetAsync(parent));
    }

    [Fact]
    public async Task The_index_finds_finished_tasks_of_one_status_finished_before_a_cutoff()
    {
        var orchestrator = fixture.Orchestrator;
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var done = (await orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "done", Handler = "echo", Queue = Waiting.Unique("find") })).Task.Id;
        var failed = (await orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "failed", Handler = "fail", Input = "{\"message\":\"x\"}", Queue = Waiting.Unique("find") })).Task.Id;
        var finished = await orchestrator.ForAllFinished([done, failed]);
        var after = finished.Max(t => t.CompletedAt!.Value);

        var index = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<ITaskIndex>();
        var errors = await index.FindFinished(OeeTaskStatus.Error, after, 100_000);
        Assert.Contains(failed, errors);
        Assert.DoesNotContain(done, errors);
        Assert.Contains(done, await index.FindFinished(OeeTaskStatus.Done, after, 100_000));
        Assert.DoesNotContain(failed, await index.FindFinished(OeeTaskStatus.Error, before, 100_000));
        Assert.DoesNotContain(done, await index.FindFinished(OeeTaskStatus.Cancelled, null, 100_000));
    }
}

[Collection(MemoryClusterCollection.Name)]
public sealed class ClearFinishedTestsOnMemory(MemoryClusterFixture fixture) : ClearFinishedTests(fixture);

[Collection(PostgresClusterCollection.Name)]
public sealed class ClearFinishedTestsOnPostgres(PostgresClusterFixture fixture) : ClearFinishedTests(fixture);
