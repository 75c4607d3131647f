using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Oee.Grains.Configuration;
using Oee.Grains.Contracts;
using Oee.Grains.Handlers.BuiltIn;
using Oee.Grains.Tests.Cluster;
using Oee.Grains.WarmUp;

namespace Oee.Grains.Tests.WarmUp;

/// <summary>
/// The start-up warm-up stores nothing a user could see, and its engine round really runs a task through
/// the state machine. Runs on both storages: <see cref="StartupWarmUpTestsOnMemory"/>, <see cref="StartupWarmUpTestsOnPostgres"/>.
/// </summary>
public abstract class StartupWarmUpTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Warm_up_rounds_leave_no_task_behind()
    {
        var warmUp = new StartupWarmUp(fixture.Cluster.Client, Options.Create(new OeeWarmUpOptions()), NullLogger<StartupWarmUp>.Instance);

        var ids = await warmUp.RunRounds(40, CancellationToken.None);

        Assert.Equal(40, ids.Distinct().Count());
        Assert.All(ids, id => Assert.StartsWith(StartupWarmUp.IdPrefix, id, StringComparison.Ordinal));
        foreach (var id in ids)
        {
            Assert.Null(await fixture.Orchestrator.GetAsync(id));
        }
    }

    [Fact]
    public async Task An_engine_round_finishes_its_task_in_memory_only()
    {
        var id = StartupWarmUp.IdPrefix + Guid.NewGuid().ToString("N");
        var request = new SubmitTaskRequest { Id = id, Name = "warm-up", Handler = EchoHandler.Name, Input = "{\"v\":1}" };

        var done = await fixture.Cluster.Client.GetGrain<IWarmUpGrain>(id).Run(request);

        Assert.Equal(OeeTaskStatus.Done, done.Status);
        Assert.Equal("{\"v\":1}", done.Result);
        Assert.Equal(1, done.Attempt);
        Assert.Null(await fixture.Orchestrator.GetAsync(id));
    }
}

[Collection(MemoryClusterCollection.Name)]
public sealed class StartupWarmUpTestsOnMemory(MemoryClusterFixture fixture) : StartupWarmUpTests(fixture);

[Collection(PostgresClusterCollection.Name)]
public sealed class StartupWarmUpTestsOnPostgres(PostgresClusterFixture fixture) : StartupWarmUpTests(fixture);
