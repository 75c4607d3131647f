using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Oee.Grains.Configuration;
using Oee.Grains.Hosting;

namespace Oee.Grains.Tests.Hosting;

public sealed class OptionsTests
{
    [Fact]
    public void Defaults_are_valid() => Assert.True(new OeeOptionsValidator().Validate(null, new OeeOptions()).Succeeded);

    [Fact]
    public void Every_bad_value_is_named()
    {
        var result = new OeeOptionsValidator().Validate(null, new OeeOptions { DefaultMaxConcurrency = 0, WorkerSlotsPerSilo = 0, MaxInputBytes = 1, IndexShards = 0, ClearBatchSize = 0 });
        Assert.True(result.Failed);
        foreach (var name in new[] { "DefaultMaxConcurrency", "WorkerSlotsPerSilo", "MaxInputBytes", "IndexShards", "ClearBatchSize" })
        {
            Assert.Contains(name, result.FailureMessage);
        }
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(OeeOptions.MaxWorkerSlotsPerSilo, true)]
    [InlineData(OeeOptions.MaxWorkerSlotsPerSilo + 1, false)]
    public void Worker_slots_per_silo_are_at_most_a_million(int slots, bool valid)
    {
        var result = new OeeOptionsValidator().Validate(null, new OeeOptions { WorkerSlotsPerSilo = slots });

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Contains("between 1 and 1000000", result.FailureMessage);
        }
    }

    [Fact]
    public void Queue_defaults_are_off_and_bad_ones_are_named()
    {
        Assert.True(new OeeQueueOptionsValidator().Validate(null, new OeeQueueOptions()).Succeeded);
        var result = new OeeQueueOptionsValidator().Validate(null, new OeeQueueOptions { MaxPending = -1, StartRate = -1, StartBurst = -1, MaxPerKey = -1, AgingInterval = TimeSpan.FromMilliseconds(5) });
        Assert.True(result.Failed);
        foreach (var name in new[] { "Oee:Queues:MaxPending", "Oee:Queues:StartRate", "Oee:Queues:StartBurst", "Oee:Queues:MaxPerKey", "Oee:Queues:AgingInterval" })
        {
            Assert.Contains(name, result.FailureMessage);
        }
    }

    [Fact]
    public void Cluster_settings_bind_and_replace_the_gateway_list()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Oee:Cluster:SiloPort"] = "11112",
            ["Oee:Cluster:GatewayPorts:0"] = "30001",
            ["Oee:Cluster:GatewayPorts:1"] = "30002",
        }).Build();

        var options = OeeClusterOptions.Read(configuration);
        Assert.Equal(11112, options.SiloPort);
        Assert.Equal([30001, 30002], options.GatewayPorts);
    }

    [Fact]
    public void An_advertised_address_that_does_not_resolve_is_refused_naming_the_setting()
    {
        // A name under .invalid never resolves (RFC 2606): the silo stopped with a bare SocketException.
        var error = Assert.Throws<InvalidOperationException>(() => OeeSiloBuilderExtensions.ResolveAddress("no-such-silo.invalid"));

        Assert.Contains("Oee:Cluster:AdvertisedAddress", error.Message, StringComparison.Ordinal);
        Assert.Contains("no-such-silo.invalid", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_cluster_settings_fail_with_what_to_fix()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Oee:Cluster:SiloPort"] = "70000",
            ["Oee:Cluster:ClusterId"] = " ",
        }).Build();

        var error = Assert.Throws<OptionsValidationException>(() => OeeClusterOptions.Read(configuration));
        Assert.Contains("SiloPort", error.Message);
        Assert.Contains("ClusterId", error.Message);
    }

    [Fact]
    public void Every_named_duration_is_checked()
    {
        var result = new OeeOptionsValidator().Validate(null, new OeeOptions
        {
            DrainCancelGrace = TimeSpan.FromHours(1),
            DispatchRetryDelay = TimeSpan.Zero,
            QueueWakePeriod = TimeSpan.FromSeconds(5),
            SiloStatusTimeout = TimeSpan.FromMinutes(5),
        });
        foreach (var name in new[] { "Oee:DrainCancelGrace", "Oee:DispatchRetryDelay", "Oee:QueueWakePeriod", "Oee:SiloStatusTimeout" })
        {
            Assert.Contains(name, result.FailureMessage);
        }
    }

    [Fact]
    public void Bad_postgres_settings_fail_with_what_to_fix()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Oee:PostgreSql:ConnectionString"] = "this is not=a; valid connection string",
            ["Oee:PostgreSql:MaxPoolSize"] = "1",
        }).Build();

        var error = Assert.Throws<OptionsValidationException>(() => OeePostgresOptions.Read(configuration));
        Assert.Contains("Oee:PostgreSql:ConnectionString", error.Message);
        Assert.Contains("Oee:PostgreSql:MaxPoolSize", error.Message);
    }

    [Fact]
    public void Postgres_membership_without_a_connection_string_is_refused()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Oee:Cluster:Mode"] = "PostgreSql",
        }).Build();

        var error = Assert.Throws<OptionsValidationException>(() => OeeClusterOptions.Read(configuration));
        Assert.Contains("Oee:PostgreSql:ConnectionString", error.Message);
    }
}
