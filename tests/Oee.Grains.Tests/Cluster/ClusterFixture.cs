using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Oee.Grains.Client;
using Oee.Grains.Handlers;
using Oee.Grains.Hosting;
using Oee.Tests.Shared;
using Orleans.TestingHost;

namespace Oee.Grains.Tests.Cluster;

/// <summary>
/// One in-process cluster of two silos with OEE, shared by a collection. The same scenarios run
/// against memory storage and against a real PostgreSQL (one fresh database per run).
/// </summary>
public abstract class ClusterFixture : IAsyncLifetime
{
    public const int SlotsPerSilo = 50;
    public const int MaxInputBytes = 4096;

    /// <summary>How long a waiting task's activation is kept: short, so that tests see the hold end (<see cref="WaitingTaskHoldTests"/>).</summary>
    public const string WaitingTaskHoldTime = "00:00:05";

    /// <summary>The webhook signing key of the cluster's silos.</summary>
    public static readonly byte[] WebhookKey = "cluster tests' webhook key, 32 b"u8.ToArray();

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IOrchestrator Orchestrator { get; private set; } = null!;

    /// <summary>The OpenAI-compatible server the catalog's <c>fake-*</c> models call (see <see cref="FixtureModels"/>).</summary>
    public FakeModelServer ModelServer { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Oee:Cluster:Mode"] = "External",
            ["Oee:WorkerSlotsPerSilo"] = SlotsPerSilo.ToString(CultureInfo.InvariantCulture),
            ["Oee:MaxInputBytes"] = MaxInputBytes.ToString(CultureInfo.InvariantCulture),
            ["Oee:LeaseCheckInterval"] = "00:00:01",
            ["Oee:DrainTimeout"] = "00:00:03",
            ["Oee:DependencyRecheckInterval"] = "00:00:01",
            ["Oee:WaitingTaskHoldTime"] = WaitingTaskHoldTime,

            // A schedule handed on by a stopping silo must carry on long before its reminder (1 minute) would wake it.
            ["Oee:Schedules:MisfireThreshold"] = "00:00:30",

            // Webhooks to receivers that tests start on 127.0.0.1 (QueueCallbackTests).
            ["Oee:Webhooks:AllowedHosts:0"] = "127.0.0.1",
            ["Oee:Webhooks:AllowPrivateAddresses"] = "true",
            ["Oee:Webhooks:Secret"] = "whsec_" + Convert.ToBase64String(WebhookKey),
            ["Oee:Webhooks:FirstRetryDelay"] = "00:00:00.050",
        };
        ModelServer = await FakeModelServer.StartAsync();
        FixtureModels.AddTo(settings, ModelServer.Endpoint);
        await AddSettings(settings);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddOee(configuration);

            // As a silo exporting traces does (Oee:Telemetry:OtlpEndpoint): TaskTraceTests listens.
            silo.AddActivityPropagation();
            silo.Services.AddTaskHandler<RecordingHandler>(RecordingHandler.Name);
            silo.Services.AddTaskHandler<DependencyResultsHandler>(DependencyResultsHandler.Name);
        });
        // As AddOeeClient does: a client's span travels with its grain calls (TaskTraceTests).
        builder.ConfigureClient(client => client.AddActivityPropagation());
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        Orchestrator = OrchestratorServiceCollectionExtensions.Create(Cluster.Client, TimeProvider.System);
    }

    public virtual async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await ModelServer.DisposeAsync();
    }

    protected virtual Task AddSettings(Dictionary<string, string?> settings) => Task.CompletedTask;
}

/// <summary>The default memory mode.</summary>
public sealed class MemoryClusterFixture : ClusterFixture;

/// <summary>Durable mode on a fresh PostgreSQL database, migrated at silo start.</summary>
public sealed class PostgresClusterFixture : ClusterFixture
{
    public TestDatabase Database { get; } = new();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Database.DisposeAsync();
    }

    protected override async Task AddSettings(Dictionary<string, string?> settings)
    {
        await Database.CreateAsync();
        settings["Oee:PostgreSql:ConnectionString"] = Database.ConnectionString;
    }
}

[CollectionDefinition(Name)]
public sealed class MemoryClusterCollection : ICollectionFixture<MemoryClusterFixture>
{
    public const string Name = "memory cluster";
}

[CollectionDefinition(Name)]
public sealed class PostgresClusterCollection : ICollectionFixture<PostgresClusterFixture>
{
    public const string Name = "postgres cluster";
}
