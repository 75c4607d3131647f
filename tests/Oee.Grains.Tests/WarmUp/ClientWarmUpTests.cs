using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Oee.Grains.Configuration;
using Oee.Grains.Contracts;
using Oee.Grains.Tests.Cluster;
using Oee.Grains.WarmUp;
using Orleans.Serialization;

namespace Oee.Grains.Tests.WarmUp;

/// <summary>
/// The client's start-up warm-up stores nothing a user could see and can be turned off. Runs on both
/// storages: <see cref="ClientWarmUpTestsOnMemory"/>, <see cref="ClientWarmUpTestsOnPostgres"/>.
/// </summary>
public abstract class ClientWarmUpTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Warm_up_rounds_leave_no_task_behind()
    {
        var handlers = await WarmUp(new OeeClientWarmUpOptions()).RunRounds(40, CancellationToken.None);

        // Each round's submit and receipt submit were refused for its handler (a round throws otherwise), and none left a task.
        Assert.Equal(40, handlers.Distinct().Count());
        Assert.All(handlers, h => Assert.StartsWith(ClientWarmUp.IdPrefix, h, StringComparison.Ordinal));
        await AssertNoWarmUpTask();

        // Each round also asked for the status of a queue of its handler's name: found none, and created none.
        var queues = await fixture.Orchestrator.ListQueuesAsync();
        Assert.DoesNotContain(queues, q => q.Name.StartsWith(ClientWarmUp.IdPrefix, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_whole_warm_up_runs_its_rounds_and_stores_nothing()
    {
        var handlers = await WarmUp(new OeeClientWarmUpOptions { Rounds = 25, MaxDuration = TimeSpan.FromMinutes(2) }).WarmUpAsync(CancellationToken.None);

        // Every round got its refusal and its decoded answer: a failed round would end the warm-up with none.
        Assert.Equal(25, handlers.Count);
        await AssertNoWarmUpTask();
    }

    [Fact]
    public async Task Disabled_or_zero_rounds_send_nothing()
    {
        Assert.Empty(await WarmUp(new OeeClientWarmUpOptions { Enabled = false }).WarmUpAsync(CancellationToken.None));
        Assert.Empty(await WarmUp(new OeeClientWarmUpOptions { Rounds = 0 }).WarmUpAsync(CancellationToken.None));
    }

    private async Task AssertNoWarmUpTask()
    {
        var page = await fixture.Orchestrator.ListAsync(new TaskQuery { Name = ClientWarmUp.TaskName, Limit = 100 });
        Assert.Empty(page.Items);
    }

    private ClientWarmUp WarmUp(OeeClientWarmUpOptions options) => new(
        fixture.Orchestrator,
        fixture.Cluster.Client.ServiceProvider.GetRequiredService<Serializer>(),
        Options.Create(options),
        NullLogger<ClientWarmUp>.Instance);
}

[Collection(MemoryClusterCollection.Name)]
public sealed class ClientWarmUpTestsOnMemory(MemoryClusterFixture fixture) : ClientWarmUpTests(fixture);

[Collection(PostgresClusterCollection.Name)]
public sealed class ClientWarmUpTestsOnPostgres(PostgresClusterFixture fixture) : ClientWarmUpTests(fixture);
