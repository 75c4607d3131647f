using Oee.Grains.Client;
using Oee.Grains.Contracts;

namespace Oee.Grains.Tests.Cluster;

/// <summary>
/// <see cref="IOrchestrator.SubmitForReceiptAsync"/> through the test cluster's Orleans client: the same
/// outcomes as <see cref="IOrchestrator.SubmitAsync"/> (created, the same request again, a conflict, an
/// invalid request, a full queue), answered with the id only. Runs on both storages:
/// <see cref="SubmitReceiptTestsOnMemory"/>, <see cref="SubmitReceiptTestsOnPostgres"/>.
/// </summary>
public abstract class SubmitReceiptTests(ClusterFixture fixture)
{
    private IOrchestrator Orchestrator => fixture.Orchestrator;

    [Fact]
    public async Task A_receipt_names_a_new_task_that_is_stored_and_runs()
    {
        var queue = Waiting.Unique("receipt");
        var receipt = await Orchestrator.SubmitForReceiptAsync(new SubmitTaskRequest { Name = "new", Handler = "echo", Queue = queue, Input = "{\"v\":1}" });

        Assert.True(receipt.Created);
        Assert.True(Guid.TryParse(receipt.Id, out _), $"A generated id is a GUID (was '{receipt.Id}').");
        var done = await Orchestrator.ForStatus(receipt.Id, OeeTaskStatus.Done);
        Assert.Equal(("new", queue, "{\"v\":1}", "{\"v\":1}", 1), (done.Name, done.Queue, done.Input, done.Result, done.Attempt));
    }

    [Fact]
    public async Task The_same_request_again_is_not_created_and_a_different_one_conflicts_as_with_the_whole_answer()
    {
        var queue = Waiting.Unique("receipt-again");
        await Orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { Paused = true });
        var id = Waiting.Unique("given");
        var request = new SubmitTaskRequest { Id = id, Name = "original", Handler = "echo", Queue = queue, Input = "{\"v\":1}" };

        Assert.Equal(new SubmitReceipt(id, Created: true), await Orchestrator.SubmitForReceiptAsync(request));
        Assert.Equal(new SubmitReceipt(id, Created: false), await Orchestrator.SubmitForReceiptAsync(request));
        Assert.False((await Orchestrator.SubmitAsync(request)).Created);

        var different = request with { Name = "impostor" };
        var byReceipt = await Assert.ThrowsAsync<OeeConflictException>(() => Orchestrator.SubmitForReceiptAsync(different));
        var byWhole = await Assert.ThrowsAsync<OeeConflictException>(() => Orchestrator.SubmitAsync(different));
        Assert.Equal(byWhole.Message, byReceipt.Message);
        Assert.Equal(("original", "{\"v\":1}"), (byReceipt.Current?.Name, byReceipt.Current?.Input));
        Assert.Equal(1, (await Orchestrator.GetQueueAsync(queue)).Pending);
    }

    [Fact]
    public async Task An_invalid_request_and_a_full_queue_throw_as_with_the_whole_answer()
    {
        // Refused by the silo (the handler is checked there): the same fields and words either way.
        var queue = Waiting.Unique("receipt-refused");
        var unknown = new SubmitTaskRequest { Name = "unknown", Handler = "no-such-handler", Queue = queue, Input = "{}" };
        var invalidByReceipt = await Assert.ThrowsAsync<OeeValidationException>(() => Orchestrator.SubmitForReceiptAsync(unknown));
        var invalidByWhole = await Assert.ThrowsAsync<OeeValidationException>(() => Orchestrator.SubmitAsync(unknown));
        Assert.Equal(invalidByWhole.Errors, invalidByReceipt.Errors);
        Assert.Contains(invalidByReceipt.Errors, e => e.Field == "handler");

        // Refused here, before it leaves the caller.
        var nameless = unknown with { Name = "", Handler = "echo" };
        var namelessByReceipt = await Assert.ThrowsAsync<OeeValidationException>(() => Orchestrator.SubmitForReceiptAsync(nameless));
        Assert.Equal((await Assert.ThrowsAsync<OeeValidationException>(() => Orchestrator.SubmitAsync(nameless))).Errors, namelessByReceipt.Errors);

        await Orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { Paused = true, MaxPending = 1 });
        Assert.True((await Orchestrator.SubmitForReceiptAsync(unknown with { Handler = "echo" })).Created);
        var refusedId = Waiting.Unique("refused");
        var fullByReceipt = await Assert.ThrowsAsync<OeeQueueFullException>(() => Orchestrator.SubmitForReceiptAsync(unknown with { Id = refusedId, Handler = "echo" }));
        var fullByWhole = await Assert.ThrowsAsync<OeeQueueFullException>(() => Orchestrator.SubmitAsync(unknown with { Id = refusedId, Handler = "echo" }));
        Assert.Equal((fullByWhole.Queue, fullByWhole.RetryAfter, fullByWhole.Message), (fullByReceipt.Queue, fullByReceipt.RetryAfter, fullByReceipt.Message));
        Assert.Null(await Orchestrator.GetAsync(refusedId));
    }
}

[Collection(MemoryClusterCollection.Name)]
public sealed class SubmitReceiptTestsOnMemory(MemoryClusterFixture fixture) : SubmitReceiptTests(fixture);

[Collection(PostgresClusterCollection.Name)]
public sealed class SubmitReceiptTestsOnPostgres(PostgresClusterFixture fixture) : SubmitReceiptTests(fixture);
