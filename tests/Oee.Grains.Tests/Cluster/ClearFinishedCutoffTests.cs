using Oee.Grains.Contracts;
using Oee.Grains.Tasks;

namespace Oee.Grains.Tests.Cluster;

/// <summary>
/// A clear without an age removes what had finished when it began: a task finishing while it runs is left (before, the
/// clear had no cut-off and, under load, chased the completions that kept coming).
/// </summary>
public sealed class ClearFinishedCutoffTests(FaultClusterFixture fixture) : IClassFixture<FaultClusterFixture>
{
    [Fact]
    public async Task A_clear_without_an_age_leaves_the_tasks_that_finished_after_it_began()
    {
        var orchestrator = fixture.Orchestrator;
        var queue = Waiting.Unique("cutoff");
        var old = (await orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "old", Handler = "echo", Input = "1", Queue = queue })).Task.Id;
        await orchestrator.ForStatus(old, OeeTaskStatus.Done);

        // The clear's first step waits on the old task's removal while a new task finishes.
        var purge = nameof(ITaskEngineGrain.Purge);
        fixture.Faults.Hold(purge, old);
        Task<int> clear;
        string late;
        try
        {
            clear = orchestrator.ClearFinishedAsync();
            await Waiting.Until(() => fixture.Faults.Seen(purge, old) >= 1, "the clear to remove the old task");
            late = (await orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "late", Handler = "echo", Input = "2", Queue = queue })).Task.Id;
            await orchestrator.ForStatus(late, OeeTaskStatus.Done);
        }
        finally
        {
            fixture.Faults.Clear(purge, old);
        }

        Assert.True(await clear >= 1);
        Assert.Null(await orchestrator.GetAsync(old));
        Assert.Equal(OeeTaskStatus.Done, (await orchestrator.GetAsync(late))?.Status);
    }
}
