using Microsoft.Extensions.DependencyInjection;
using Oee.Grains.Client;
using Oee.Grains.Contracts;
using Oee.Grains.Errors;
using Oee.Grains.Tests.Cluster;

namespace Oee.Grains.Tests.Errors;

/// <summary>
/// A 2-silo cluster on its own PostgreSQL database, which the test takes away for a moment (no new
/// connections, the silos' connections ended) and gives back. Its own fixture: no other test shares
/// the database it breaks.
/// </summary>
public sealed class StorageOutageTests(PostgresClusterFixture fixture) : IClassFixture<PostgresClusterFixture>
{
    private readonly IOrchestrator orchestrator = OrchestratorServiceCollectionExtensions.Create(fixture.Cluster.Client, TimeProvider.System);

    [Fact]
    public async Task While_the_database_is_gone_calls_fail_as_storage_unavailable_and_a_repeated_submit_succeeds_after()
    {
        var before = await orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "before", Handler = "echo", Input = "1" });
        await orchestrator.ForStatus(before.Task.Id, OeeTaskStatus.Done);
        var id = Waiting.Unique("outage");
        var request = new SubmitTaskRequest { Id = id, Name = "during", Handler = "echo", Input = "2" };

        await SetConnections(allowed: false);
        try
        {
            // A new task's grain fails to activate (it cannot read its record): the activation's
            // error crosses the wire as OEE's type (the silo's codec), not as CodecNotFoundException.
            var submit = await Assert.ThrowsAsync<OeeStorageUnavailableException>(() => orchestrator.SubmitAsync(request));
            Assert.StartsWith("Npgsql.", submit.ProviderError, StringComparison.Ordinal);
            Assert.NotEmpty(submit.ProviderMessage);

            // A grain method that fails on the database: the grain call filter translates it.
            await Assert.ThrowsAsync<OeeStorageUnavailableException>(() => orchestrator.ListAsync(new TaskQuery { Limit = 10 }));

            // A plain grain call, without the orchestrator: still OEE's type, nothing of Npgsql.
            var direct = await Assert.ThrowsAsync<OeeStorageUnavailableException>(() => fixture.Cluster.Client.GetGrain<ITaskGrain>(Waiting.Unique("direct")).Get());
            Assert.Null(direct.InnerException);

            // Inside a silo, where nothing is serialized: the grain call filter, and the silo's own
            // orchestrator (the REST API's in embedded mode), give the same types.
            var silo = fixture.Cluster.Silos[0].ServiceProvider;
            await Assert.ThrowsAsync<OeeStorageUnavailableException>(() => silo.GetRequiredService<IGrainFactory>().GetGrain<ITaskIndexGrain>(0).Query(new TaskQuery { Limit = 10 }));
            await Assert.ThrowsAsync<OeeStorageUnavailableException>(() => silo.GetRequiredService<IOrchestrator>().SubmitAsync(request with { Id = Waiting.Unique("in-silo") }));
        }
        finally
        {
            await SetConnections(allowed: true);
        }

        // The caller's retry: the same submit, until the database answers again.
        var submitted = await RetryWhileUnavailable(() => orchestrator.SubmitAsync(request), TimeSpan.FromSeconds(90));
        Assert.Equal(id, submitted.Task.Id);
        var done = await orchestrator.ForStatus(id, OeeTaskStatus.Done, seconds: 90);
        Assert.Equal("2", done.Result);
        Assert.Equal(OeeTaskStatus.Done, (await orchestrator.GetAsync(before.Task.Id))!.Status);
    }

    private static async Task<T> RetryWhileUnavailable<T>(Func<Task<T>> call, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                return await call();
            }
            catch (OeeUnavailableException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }

    private Task SetConnections(bool allowed) => fixture.Database.SetConnectionsAllowed(allowed);
}
