using System.Globalization;
using Oee.Tests.Shared;

namespace Oee.Grains.Tests.Cluster;

/// <summary>
/// A cluster whose model catalog points at a <see cref="FakeModelServer"/> the fixture starts on
/// 127.0.0.1: models that echo, upper-case, answer fixed text, fail, hang, or cost too much.
/// </summary>
public abstract class PipelineClusterFixture : ClusterFixture
{
    public FakeModelServer Server { get; private set; } = null!;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Server.DisposeAsync();
    }

    protected override async Task AddSettings(Dictionary<string, string?> settings)
    {
        Server = await FakeModelServer.StartAsync();
        Model(settings, "t-echo", "echo", ["summarize", "chain"], local: true, latencyMs: 10, quality: 0.6, perCall: 0.001m);
        Model(settings, "t-upper", "upper", ["chain"], local: false, latencyMs: 100, quality: 0.8, perCall: 0.002m);
        Model(settings, "t-fail", "fail", ["fallback"], local: true, latencyMs: 1, quality: 0.9);
        Model(settings, "t-backup", "upper#backup", ["fallback"], local: false, latencyMs: 20, quality: 0.5);
        Model(settings, "t-hang-time", "hang#time", ["hang"], local: true, latencyMs: 1, quality: 0.5);
        Model(settings, "t-hang-cancel", "hang#cancel", ["hang"], local: true, latencyMs: 1, quality: 0.5);
        Model(settings, "t-pricey", "echo#pricey", ["pricey", "summarize"], local: true, latencyMs: 1, quality: 0.99, perCall: 5m);
        Model(settings, "t-cheap", "echo#cheap", ["pricey"], local: false, latencyMs: 500, quality: 0.1, perCall: 0.01m);
        Model(settings, "t-yes-a", "fixed:yes#a", ["vote"], local: false, latencyMs: 10, quality: 0.5);
        Model(settings, "t-yes-b", "fixed:yes#b", ["vote"], local: false, latencyMs: 10, quality: 0.6);
        Model(settings, "t-no", "fixed:no", ["vote"], local: false, latencyMs: 10, quality: 0.9);
        Model(settings, "t-red", "fixed:red", ["colour"], local: false, latencyMs: 10, quality: 0.4);
        Model(settings, "t-green", "fixed:green", ["colour"], local: false, latencyMs: 10, quality: 0.7);
        Model(settings, "t-blue", "fixed:blue", ["colour"], local: false, latencyMs: 10, quality: 0.5);
        Model(settings, "t-notjson", "fixed:not json", ["json"], local: false, latencyMs: 10, quality: 0.9);
        Model(settings, "t-json", "fixed:[1,2]", ["json"], local: false, latencyMs: 10, quality: 0.5);
        Model(settings, "t-judge-no", "fixed:NO", ["judge"], local: false, latencyMs: 10, quality: 0.5);
        await AddStorage(settings);
    }

    protected virtual Task AddStorage(Dictionary<string, string?> settings) => Task.CompletedTask;

    private void Model(Dictionary<string, string?> settings, string id, string serverModel, string[] capabilities, bool local, int latencyMs, double quality, decimal perCall = 0)
    {
        var at = $"Oee:Models:{id}:";
        settings[at + "Kind"] = "openai";
        settings[at + "Endpoint"] = Server.Endpoint;
        settings[at + "Model"] = serverModel;
        settings[at + "Local"] = local ? "true" : "false";
        settings[at + "Quality"] = quality.ToString(CultureInfo.InvariantCulture);
        settings[at + "ExpectedLatency"] = TimeSpan.FromMilliseconds(latencyMs).ToString("c", CultureInfo.InvariantCulture);
        settings[at + "Pricing:PerCall"] = perCall.ToString(CultureInfo.InvariantCulture);
        settings[at + "MaxOutputTokens"] = "64";
        settings[at + "MaxRetries"] = "0";
        settings[at + "Timeout"] = "00:05:00";
        for (var i = 0; i < capabilities.Length; i++)
        {
            settings[$"{at}Capabilities:{i}"] = capabilities[i];
        }
    }
}

/// <summary>Pipelines on memory storage.</summary>
public sealed class MemoryPipelineClusterFixture : PipelineClusterFixture;

/// <summary>Pipelines on a fresh PostgreSQL database.</summary>
public sealed class PostgresPipelineClusterFixture : PipelineClusterFixture
{
    public TestDatabase Database { get; } = new();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Database.DisposeAsync();
    }

    protected override async Task AddStorage(Dictionary<string, string?> settings)
    {
        await Database.CreateAsync();
        settings["Oee:PostgreSql:ConnectionString"] = Database.ConnectionString;
    }
}

[CollectionDefinition(Name)]
public sealed class MemoryPipelineClusterCollection : ICollectionFixture<MemoryPipelineClusterFixture>
{
    public const string Name = "memory pipeline cluster";
}

[CollectionDefinition(Name)]
public sealed class PostgresPipelineClusterCollection : ICollectionFixture<PostgresPipelineClusterFixture>
{
    public const string Name = "postgres pipeline cluster";
}
