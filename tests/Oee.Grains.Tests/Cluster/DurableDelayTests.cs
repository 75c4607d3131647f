using Npgsql;
using Oee.Grains.Contracts;

namespace Oee.Grains.Tests.Cluster;

/// <summary>Durable mode: scheduled entries are stored with their due times and one reminder per queue wakes it.</summary>
[Collection(PostgresClusterCollection.Name)]
public sealed class DurableDelayTests(PostgresClusterFixture fixture)
{
    [Fact]
    public async Task Scheduled_entries_survive_a_queue_reactivation_with_one_reminder_per_queue()
    {
        var orchestrator = fixture.Orchestrator;
        var queue = Waiting.Unique("durable-delay");
        await orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { Paused = true });

        var soon = new List<TaskRecord>();
        for (var i = 0; i < 30; i++)
        {
            var request = new SubmitTaskRequest { Name = $"soon-{i}", Handler = RecordingHandler.Name, Queue = queue, Input = RecordingHandler.Instant, Delay = TimeSpan.FromMilliseconds(500 + (50 * i)) };
            soon.Add((await orchestrator.SubmitAsync(request)).Task);
        }

        var later = (await orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "later", Handler = RecordingHandler.Name, Queue = queue, Input = RecordingHandler.Instant, Delay = TimeSpan.FromHours(1) })).Task;
        Assert.Equal(Enumerable.Range(0, 31).Select(i => (long)i), soon.Append(later).Select(t => t.Sequence));

        // Thirty-one scheduled tasks, one reminder.
        await Waiting.Until(async () => await DueReminders(queue) == 1, "the queue's due reminder");

        await fixture.Cluster.DeactivateAsync((Orleans.Runtime.IAddressable)fixture.Cluster.Client.GetGrain<IQueueGrain>(queue));
        var restored = await orchestrator.GetQueueAsync(queue);
        Assert.Equal(31, restored.Scheduled + restored.Pending);
        Assert.Equal(31, restored.NextSequence);
        Assert.Equal(later.NextRunAt, (await orchestrator.GetAsync(later.Id))!.NextRunAt);

        await orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { Paused = false });
        var done = await orchestrator.ForAllFinished(soon.Select(t => t.Id));
        Assert.All(done.Zip(soon), pair =>
        {
            Assert.Equal(OeeTaskStatus.Done, pair.First.Status);
            Assert.True(pair.First.StartedAt >= pair.Second.NextRunAt, $"{pair.First.Id} started at {pair.First.StartedAt}, due {pair.Second.NextRunAt}");
        });

        var waiting = await orchestrator.GetAsync(later.Id);
        Assert.Equal(OeeTaskStatus.Scheduled, waiting!.Status);
        var status = await orchestrator.GetQueueAsync(queue);
        Assert.Equal(1, status.Scheduled);
        Assert.Equal(later.NextRunAt!.Value.ToUnixTimeMilliseconds(), status.NextDueAt!.Value.ToUnixTimeMilliseconds());
        Assert.Equal(1, await DueReminders(queue));

        // The last scheduled task leaves: so does the reminder.
        await orchestrator.CancelAsync(later.Id);
        await Waiting.Until(async () => await DueReminders(queue) == 0, "the due reminder to be removed");
        Assert.Equal(0, (await orchestrator.GetQueueAsync(queue)).Scheduled);
    }

    private async Task<long> DueReminders(string queue)
    {
        await using var connection = new NpgsqlConnection(fixture.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM orleansreminderstable WHERE remindername = 'oee-queue-due' AND grainid LIKE '%/' || $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = queue });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
