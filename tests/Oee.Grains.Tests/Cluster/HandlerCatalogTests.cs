using Oee.Grains.Client;
using Oee.Grains.Handlers.BuiltIn;

namespace Oee.Grains.Tests.Cluster;

/// <summary>Runs on both storages: see <see cref="HandlerCatalogTestsOnMemory"/> and <see cref="HandlerCatalogTestsOnPostgres"/>.</summary>
public abstract class HandlerCatalogTests(ClusterFixture fixture)
{
    private IOrchestrator Orchestrator => fixture.Orchestrator;

    [Fact]
    public async Task The_catalog_lists_the_built_in_and_the_silos_own_handlers_by_name_with_their_input_shapes()
    {
        var handlers = await Orchestrator.ListHandlersAsync();
        var names = handlers.Select(h => h.Name).ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.Contains(RecordingHandler.Name, names);
        var byName = handlers.ToDictionary(h => h.Name);
        Assert.Null(byName[EchoHandler.Name].InputShape);
        Assert.StartsWith("{\"ms\": n", byName[DelayHandler.Name].InputShape, StringComparison.Ordinal);
        Assert.Equal("{\"message\": \"...\"}", byName[FailHandler.Name].InputShape);
    }
}

[Collection(MemoryClusterCollection.Name)]
public sealed class HandlerCatalogTestsOnMemory(MemoryClusterFixture fixture) : HandlerCatalogTests(fixture);

[Collection(PostgresClusterCollection.Name)]
public sealed class HandlerCatalogTestsOnPostgres(PostgresClusterFixture fixture) : HandlerCatalogTests(fixture);
