using Oee.Grains.Contracts;

namespace Oee.Grains.Tests.Cluster;

/// <summary>Durable mode: a silo that stops gracefully hands its running schedules on at once.</summary>
[Collection(PostgresClusterCollection.Name)]
public sealed class ScheduleHandOverTests(PostgresClusterFixture fixture)
{
    [Fact]
    public async Task Schedules_on_a_stopping_silo_carry_on_elsewhere_without_missing_an_occurrence()
    {
        var oee = fixture.Orchestrator;
        var extra = await fixture.Cluster.StartAdditionalSiloAsync();
        await fixture.Cluster.WaitForLivenessToStabilizeAsync();
        var definition = new ScheduleDefinition
        {
            Cron = "* * * * * *",
            MissedRuns = MissedRunPolicy.Skip,
            Task = new ScheduleTaskTemplate { Name = "hand-over", Handler = "echo" },
        };

        // Schedules until some run on the silo about to stop: placement may pass a silo that just joined
        // over for a while (it has no load statistics yet), so this waits for a state, not a count.
        var names = new List<string>();
        var management = fixture.Cluster.Client.GetGrain<IManagementGrain>(0);
        var onExtra = 0;
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(120);
            while (onExtra < 2 && DateTime.UtcNow < deadline)
            {
                var name = Waiting.Unique("handover");
                names.Add(name);
                await oee.PutScheduleAsync(name, definition);
                var stats = await management.GetDetailedGrainStatistics(hostsIds: [extra.SiloAddress]);
                onExtra = stats.Count(s => s.GrainId.Key.ToString()!.StartsWith("handover", StringComparison.Ordinal) && s.GrainId.Type.ToString()!.Contains("schedule", StringComparison.Ordinal));
                if (onExtra < 2)
                {
                    await Task.Delay(50);
                }
            }

            Assert.True(onExtra > 0, $"no schedule of {names.Count} was placed on the extra silo");
        }
        finally
        {
            // The cluster is shared by the collection: never leave the extra silo behind.
            await fixture.Cluster.StopSiloAsync(extra);
        }

        var stopped = DateTimeOffset.UtcNow;

        // The schedules are polled through their tasks only: reading a schedule would activate it. A
        // schedule left to its reminder (every minute) would submit these up to a minute late.
        var second = stopped.AddSeconds(3);
        var occurrence = new DateTimeOffset(second.Ticks - (second.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        foreach (var name in names)
        {
            var id = ScheduleLimits.TaskIdFor(name, occurrence);
            TaskRecord? task = null;
            await Waiting.Until(async () => (task = await oee.GetAsync(id)) is not null, $"task {id}", seconds: 120);
            Assert.True(task!.CreatedAt - occurrence < TimeSpan.FromSeconds(10), $"{id} was submitted {task.CreatedAt - occurrence} late");
        }

        foreach (var name in names)
        {
            Assert.Equal(0, (await oee.PauseScheduleAsync(name)).MissedSkipped);
            await oee.DeleteScheduleAsync(name);
        }
    }
}
