using Oee.Grains.Contracts;
using Orleans.Runtime;

namespace Oee.Grains.Tests.Cluster;

/// <summary>Durable mode: a schedule's definition and progress are in PostgreSQL, so a new activation carries on where the last one stopped.</summary>
[Collection(PostgresClusterCollection.Name)]
public sealed class ScheduleDurabilityTests(PostgresClusterFixture fixture)
{
    [Fact]
    public async Task A_reactivated_schedule_keeps_its_definition_and_progress_and_runs_each_occurrence_once()
    {
        var oee = fixture.Orchestrator;
        var name = Waiting.Unique("durable");
        var definition = new ScheduleDefinition
        {
            Cron = "* * * * * *",
            Task = new ScheduleTaskTemplate { Name = "durable-tick", Handler = "echo", Input = "7" },
            MissedRuns = MissedRunPolicy.RunAll,
            MaxMissedRuns = ScheduleLimits.MaxMissedRuns,
        };
        await oee.PutScheduleAsync(name, definition);
        await Waiting.Until(async () => (await oee.GetScheduleAsync(name))!.Runs.Length >= 3, "three runs");
        var before = (await oee.GetScheduleAsync(name))!;

        await fixture.Cluster.DeactivateAsync((IAddressable)fixture.Cluster.Client.GetGrain<IScheduleGrain>(name));
        var after = (await oee.GetScheduleAsync(name))!;
        Assert.Equal(before.CreatedAt, after.CreatedAt);
        Assert.Equal(before.Definition, after.Definition with { Task = after.Definition.Task with { Tags = before.Definition.Task.Tags } });
        Assert.True(after.HandledThrough >= before.HandledThrough);
        Assert.True(after.Version >= before.Version);
        Assert.Contains(before.Runs[0].Occurrence, after.Runs.Select(r => r.Occurrence));

        await Waiting.Until(async () => (await oee.GetScheduleAsync(name))!.HandledThrough >= after.HandledThrough.AddSeconds(3), "three more runs after the re-activation");
        var paused = await oee.PauseScheduleAsync(name);

        // Every second from the first run to the last ran exactly once: a task per occurrence (its id is
        // the occurrence), none missed across the re-activation (runAll), none listed twice.
        var runs = paused.Runs.Select(r => r.Occurrence).ToArray();
        Assert.Equal(runs.Distinct(), runs);
        var first = before.Runs[^1].Occurrence;
        for (var occurrence = first; occurrence <= paused.HandledThrough; occurrence = occurrence.AddSeconds(1))
        {
            var task = await oee.GetAsync(ScheduleLimits.TaskIdFor(name, occurrence));
            Assert.True(task is not null, $"no task for the occurrence at {occurrence:O}");
            Assert.Equal("durable-tick", task.Name);
        }

        Assert.Equal(0, paused.MissedSkipped);
        await oee.DeleteScheduleAsync(name);
        Assert.DoesNotContain(await oee.ListSchedulesAsync(), s => s.Name == name);
    }
}
