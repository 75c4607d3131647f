using Oee.Grains.Client;
using Oee.Grains.Contracts;

namespace Oee.Grains.Tests.Cluster;

/// <summary>
/// A change's cancellation token is honoured until the change is sent; once sent, the change completes and says
/// what it did. Orleans ended the caller's wait at the cancel while the silo went on: a submit cancelled in flight
/// threw <see cref="OperationCanceledException"/> and still created its task (the facade's id never reached the
/// caller), and a cancel or retry threw and still took effect.
/// </summary>
public abstract class ChangeCancellationTests(ClusterFixture fixture)
{
    private IOrchestrator Orchestrator => fixture.Orchestrator;

    [Fact]
    public async Task A_submit_cancelled_in_flight_completes_and_reports_the_task_it_created()
    {
        var queue = Waiting.Unique("cancel-in-flight");
        for (var i = 0; i < 10; i++)
        {
            using var cancel = new CancellationTokenSource();
            var submit = Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "in-flight", Handler = "echo", Queue = queue }, cancel.Token);
            await cancel.CancelAsync();

            var submitted = await submit;
            Assert.True(submitted.Created);
            Assert.NotNull(await Orchestrator.GetAsync(submitted.Task.Id));
        }

        var page = await Orchestrator.ListAsync(new TaskQuery { Queue = queue, Limit = 100 });
        Assert.Equal(10, page.Items.Length);
    }

    [Fact]
    public async Task A_change_whose_token_was_cancelled_before_it_is_sent_is_not_sent()
    {
        var id = Waiting.Unique("never-sent");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Orchestrator.SubmitAsync(new SubmitTaskRequest { Id = id, Name = "never", Handler = "echo" }, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Orchestrator.ConfigureQueueAsync(id, new QueueSettingsUpdate { MaxConcurrency = 3 }, cancelled.Token));

        Assert.Null(await Orchestrator.GetAsync(id));
        Assert.DoesNotContain(await Orchestrator.ListQueuesAsync(), q => q.Name == id);
    }

    [Fact]
    public async Task A_cancel_of_a_task_cancelled_in_flight_completes_and_says_what_it_did()
    {
        var submitted = await Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "to-cancel", Handler = "delay", Input = "{\"ms\":600000}" });
        using var cancel = new CancellationTokenSource();
        var request = Orchestrator.CancelAsync(submitted.Task.Id, cancel.Token);
        await cancel.CancelAsync();

        var result = await request;
        Assert.Contains(result.Status, new[] { CancelStatus.Cancelled, CancelStatus.CancellationRequested });
        await Orchestrator.ForStatus(submitted.Task.Id, OeeTaskStatus.Cancelled);
    }
}

[Collection(MemoryClusterCollection.Name)]
public sealed class ChangeCancellationTestsOnMemory(MemoryClusterFixture fixture) : ChangeCancellationTests(fixture);

[Collection(PostgresClusterCollection.Name)]
public sealed class ChangeCancellationTestsOnPostgres(PostgresClusterFixture fixture) : ChangeCancellationTests(fixture);
