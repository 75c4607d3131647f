using Npgsql;
using Oee.Grains.Contracts;

namespace Oee.Grains.Tests.Cluster;

/// <summary>
/// Durable mode's submit of a task its queue dispatches at once (issue 13): its queue entry and its
/// record (already running) are written in one transaction, so that every entry in the store has its
/// record, and a queue rebuilt from the store holds those tasks without starting any a second time.
/// </summary>
[Collection(PostgresClusterCollection.Name)]
public sealed class DurableSubmitTests(PostgresClusterFixture fixture)
{
    [Fact]
    public async Task Tasks_started_by_their_submit_are_stored_with_their_entries_and_a_rebuilt_queue_runs_none_twice()
    {
        var orchestrator = fixture.Orchestrator;
        var queue = Waiting.Unique("one-commit");
        await orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { MaxConcurrency = 50 });
        var gate = BodyGates.New("one-commit");
        var submitted = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            orchestrator.SubmitAsync(new SubmitTaskRequest { Name = $"t{i}", Handler = RecordingHandler.Name, Queue = queue, Input = RecordingHandler.HeldBy(gate) })));
        var ids = submitted.Select(s => s.Task.Id).ToArray();
        await orchestrator.ForAll(ids, t => t.Status == OeeTaskStatus.Running);

        // Each acknowledged submit is stored whole: entry, record and summary; the queue's next number is past them.
        Assert.Equal(10, await Scalar("SELECT count(*) FROM oee_queue_entry e JOIN oee_task_record r ON r.service_id = e.service_id AND r.id = e.task_id WHERE e.queue = $1", queue));
        Assert.Equal(10, await Scalar("SELECT count(*) FROM oee_task WHERE queue = $1 AND status = 2", queue));
        Assert.Equal(
            submitted.Max(s => s.Task.Sequence) + 1,
            await Scalar("SELECT next_sequence FROM oee_queue WHERE queue = $1", queue));

        // A queue activation rebuilt from the store finds the tasks running where they are: none starts again.
        await fixture.Cluster.DeactivateAsync((Orleans.Runtime.IAddressable)fixture.Cluster.Client.GetGrain<IQueueGrain>(queue));
        var rebuilt = await orchestrator.GetQueueAsync(queue);
        Assert.Equal(10, rebuilt.Pending + rebuilt.Running);
        BodyGates.Open(gate);
        var finished = await orchestrator.ForAllFinished(ids);

        Assert.All(finished, t => Assert.Equal((OeeTaskStatus.Done, 1), (t.Status, t.Attempt)));
        Assert.Equal(10, RecordingHandler.StartsOf(queue).Count);
        await Waiting.Until(async () => await Scalar("SELECT count(*) FROM oee_queue_entry WHERE queue = $1", queue) == 0, "the finished tasks' entries to be deleted");
    }

    private async Task<long> Scalar(string sql, string queue)
    {
        await using var connection = new NpgsqlConnection(fixture.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = queue });
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
