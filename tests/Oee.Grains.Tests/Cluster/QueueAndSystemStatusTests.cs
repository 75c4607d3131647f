using Oee.Grains.Client;
using Oee.Grains.Contracts;

namespace Oee.Grains.Tests.Cluster;

/// <summary>Runs on both storages: see <see cref="QueueAndSystemStatusTestsOnMemory"/> and <see cref="QueueAndSystemStatusTestsOnPostgres"/>.</summary>
public abstract class QueueAndSystemStatusTests(ClusterFixture fixture)
{
    private IOrchestrator Orchestrator => fixture.Orchestrator;

    [Fact]
    public async Task A_paused_queue_holds_its_backlog_by_priority_and_runs_it_when_resumed()
    {
        var queue = Waiting.Unique("status");
        var paused = await Orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { Paused = true, MaxConcurrency = 2 });
        Assert.True(paused.Paused);
        Assert.Equal(2, paused.MaxConcurrency);

        var ids = new List<string>();
        foreach (var priority in new[] { 1, 1, 5, 9 })
        {
            ids.Add((await Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "p", Handler = "echo", Queue = queue, Priority = priority })).Task.Id);
        }

        var status = await Orchestrator.GetQueueAsync(queue);
        Assert.Equal(4, status.Pending);
        Assert.Equal(new Dictionary<int, int> { [9] = 1, [5] = 1, [1] = 2 }, status.PendingByPriority);
        Assert.Equal(0, status.Running);
        Assert.Equal(4, status.NextSequence);

        await Orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { Paused = false });
        await Orchestrator.ForAllFinished(ids);
        var drained = await Orchestrator.GetQueueAsync(queue);
        Assert.Equal(0, drained.Pending);
        Assert.Equal(0, drained.Running);
        Assert.Equal(4, drained.Started);
        Assert.Equal(4, drained.Finished);
        Assert.Contains(await Orchestrator.ListQueuesAsync(), q => q.Name == queue);
    }

    [Fact]
    public async Task An_unknown_queue_is_not_found_and_a_bad_limit_is_refused()
    {
        await Assert.ThrowsAsync<OeeNotFoundException>(() => Orchestrator.GetQueueAsync(Waiting.Unique("never")));
        var invalid = await Assert.ThrowsAsync<OeeValidationException>(() => Orchestrator.ConfigureQueueAsync("q", new QueueSettingsUpdate { MaxConcurrency = 0 }));
        Assert.Equal("maxConcurrency", Assert.Single(invalid.Errors).Field);
    }

    [Fact]
    public async Task System_status_shows_both_silos_with_their_slots_busy_while_bodies_run()
    {
        var queue = Waiting.Unique("busy");
        await Orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { MaxConcurrency = 10 });

        // Held until cancelled: still running when the status is read, however slow the machine.
        var input = RecordingHandler.HeldBy(BodyGates.New("busy"));
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add((await Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "hold", Handler = RecordingHandler.Name, Queue = queue, Input = input })).Task.Id);
        }

        await Orchestrator.ForAll(ids, t => t.Status == OeeTaskStatus.Running);

        var status = await Orchestrator.GetSystemStatusAsync();
        Assert.Equal(2, status.Silos.Length);
        Assert.All(status.Silos, s =>
        {
            Assert.Equal("active", s.Status);
            Assert.Equal(ClusterFixture.SlotsPerSilo, s.WorkerSlotsTotal);
        });
        Assert.True(status.Silos.Sum(s => s.WorkerSlotsBusy) >= 4);
        Assert.True(status.TaskCounts[OeeTaskStatus.Running] >= 4);
        Assert.Equal(4, Assert.Single(status.Queues, q => q.Name == queue).Running);

        foreach (var id in ids)
        {
            await Orchestrator.CancelAsync(id);
        }

        await Orchestrator.ForAllFinished(ids);
        var after = await Orchestrator.GetSystemStatusAsync();
        Assert.Equal(0, Assert.Single(after.Queues, q => q.Name == queue).Running);
    }

    [Fact]
    public async Task Bodies_run_on_both_silos_and_each_task_records_its_silo()
    {
        var queue = Waiting.Unique("spread");
        await Orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { MaxConcurrency = 40 });
        var ids = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            ids.Add((await Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "spread", Handler = "delay", Queue = queue, Input = "{\"ms\": 100}" })).Task.Id);
        }

        var tasks = await Orchestrator.ForAllFinished(ids);
        var silos = fixture.Cluster.Silos.Select(s => s.SiloAddress.ToParsableString()).ToHashSet();
        Assert.All(tasks, t => Assert.Contains(t.Silo!, silos));
        Assert.Equal(2, tasks.Select(t => t.Silo).Distinct().Count());
    }
}

[Collection(MemoryClusterCollection.Name)]
public sealed class QueueAndSystemStatusTestsOnMemory(MemoryClusterFixture fixture) : QueueAndSystemStatusTests(fixture);

[Collection(PostgresClusterCollection.Name)]
public sealed class QueueAndSystemStatusTestsOnPostgres(PostgresClusterFixture fixture) : QueueAndSystemStatusTests(fixture);
