using Oee.Grains.Client;
using Oee.Grains.Contracts;

namespace Oee.Grains.Tests.Cluster;

/// <summary>Child tasks (parentId) and waiting for a task's end; on both storages.</summary>
public abstract class ChildTaskTests(ClusterFixture fixture)
{
    private readonly IOrchestrator orchestrator = fixture.Orchestrator;

    private static SubmitTaskRequest Delay(string id, int ms, string? parent = null, string queue = "children") => new()
    {
        Id = id,
        Name = "child-test",
        Handler = "delay",
        Queue = queue,
        Input = $"{{\"ms\": {ms}}}",
        ParentId = parent,
    };

    [Fact]
    public async Task Children_are_listed_by_their_parent_and_carry_its_id()
    {
        var parent = "parent-" + Guid.NewGuid().ToString("N");
        await orchestrator.SubmitAsync(Delay(parent, 0));
        var children = new[] { parent + "-c1", parent + "-c2", parent + "-c3" };
        foreach (var child in children)
        {
            await orchestrator.SubmitAsync(Delay(child, 0, parent));
        }

        await orchestrator.SubmitAsync(Delay(parent + "-other", 0));

        // The index is written with each task's record: the listing has them at once.
        var page = await orchestrator.ListAsync(new TaskQuery { ParentId = parent });
        Assert.Equal(children.Reverse(), page.Items.Select(i => i.Id));
        Assert.All(page.Items, i => Assert.Equal(parent, i.ParentId));
        Assert.Equal(parent, (await orchestrator.GetAsync(children[0]))!.ParentId);

        var paged = await orchestrator.ListAsync(new TaskQuery { ParentId = parent, Limit = 2 });
        var rest = await orchestrator.ListAsync(new TaskQuery { ParentId = parent, Limit = 2, Cursor = paged.NextCursor });
        Assert.Equal(children.Reverse(), paged.Items.Concat(rest.Items).Select(i => i.Id));

        await orchestrator.ForAllFinished([parent, .. children]);
        var done = await orchestrator.ListAsync(new TaskQuery { ParentId = parent, Status = OeeTaskStatus.Done });
        Assert.Equal(3, done.Items.Length);
    }

    [Fact]
    public async Task Cancelling_the_parent_cancels_its_running_and_queued_children()
    {
        var parent = "parent-" + Guid.NewGuid().ToString("N");
        await orchestrator.SubmitAsync(Delay(parent, 600_000));
        await orchestrator.ForStatus(parent, OeeTaskStatus.Running);

        var running = parent + "-running";
        var delayed = parent + "-delayed";
        await orchestrator.SubmitAsync(Delay(running, 600_000, parent));
        await orchestrator.SubmitAsync(Delay(delayed, 0, parent) with { Delay = TimeSpan.FromHours(1) });
        var unrelated = parent + "-unrelated";
        await orchestrator.SubmitAsync(Delay(unrelated, 600_000));
        await orchestrator.ForStatus(running, OeeTaskStatus.Running);

        await orchestrator.CancelAsync(parent);

        // The engine cancels the children itself: the parent's body (a delay) knows nothing of them.
        await orchestrator.ForStatus(parent, OeeTaskStatus.Cancelled);
        await orchestrator.ForStatus(running, OeeTaskStatus.Cancelled);
        await orchestrator.ForStatus(delayed, OeeTaskStatus.Cancelled);
        Assert.Equal(OeeTaskStatus.Running, (await orchestrator.GetAsync(unrelated))!.Status);
        await orchestrator.CancelAsync(unrelated);
    }

    [Fact]
    public async Task Wait_returns_the_finished_task_without_polling()
    {
        var id = "wait-" + Guid.NewGuid().ToString("N");
        await orchestrator.SubmitAsync(Delay(id, 300));

        var finished = await orchestrator.WaitAsync(id);

        Assert.Equal(OeeTaskStatus.Done, finished.Status);
        Assert.Equal(OeeTaskStatus.Done, (await orchestrator.WaitAsync(id)).Status);
    }

    [Fact]
    public async Task Wait_sees_a_cancel_and_an_unknown_task_is_not_found()
    {
        var id = "wait-" + Guid.NewGuid().ToString("N");
        await orchestrator.SubmitAsync(Delay(id, 600_000));
        var waiting = orchestrator.WaitAsync(id);
        await orchestrator.ForStatus(id, OeeTaskStatus.Running);
        Assert.False(waiting.IsCompleted);

        await orchestrator.CancelAsync(id);

        Assert.Equal(OeeTaskStatus.Cancelled, (await waiting.WaitAsync(TimeSpan.FromSeconds(Waiting.TaskSeconds))).Status);
        await Assert.ThrowsAsync<OeeNotFoundException>(() => orchestrator.WaitAsync("no-such-task-" + Guid.NewGuid().ToString("N")));
    }

    [Fact]
    public async Task A_waiter_stops_waiting_when_its_token_fires_and_the_task_runs_on()
    {
        var id = "wait-" + Guid.NewGuid().ToString("N");
        await orchestrator.SubmitAsync(Delay(id, 600_000));
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => orchestrator.WaitAsync(id, stop.Token));

        Assert.False((await orchestrator.GetAsync(id))!.Status.IsFinal());
        await orchestrator.CancelAsync(id);
    }

    [Fact]
    public async Task A_task_cannot_be_its_own_parent()
    {
        var invalid = await Assert.ThrowsAsync<OeeValidationException>(() => orchestrator.SubmitAsync(Delay("self", 0, "self")));
        Assert.Equal("parentId", Assert.Single(invalid.Errors).Field);
    }
}

[Collection(MemoryClusterCollection.Name)]
public sealed class ChildTaskTestsOnMemory(MemoryClusterFixture fixture) : ChildTaskTests(fixture);

[Collection(PostgresClusterCollection.Name)]
public sealed class ChildTaskTestsOnPostgres(PostgresClusterFixture fixture) : ChildTaskTests(fixture);
