using Microsoft.Extensions.Logging.Testing;
using Oee.Grains.Cluster;
using Oee.Grains.Configuration;

namespace Oee.Grains.Tests.Cluster;

/// <summary>A localhost silo on another port than the primary's says at start which primary it waits for.</summary>
public sealed class LocalhostPrimaryNoticeTests
{
    [Fact]
    public void A_silo_moved_off_the_primary_port_names_the_primary_it_joins_and_the_setting()
    {
        var logger = new FakeLogger<LocalhostPrimaryNotice>();

        new LocalhostPrimaryNotice(new OeeClusterOptions { Mode = OeeClusterMode.Localhost, SiloPort = 11394 }, logger).Announce();

        var line = Assert.Single(logger.Collector.GetSnapshot());
        Assert.Contains("127.0.0.1:11111", line.Message, StringComparison.Ordinal);
        Assert.Contains("Oee:Cluster:PrimarySiloPort", line.Message, StringComparison.Ordinal);
        Assert.Contains("11394", line.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(OeeClusterMode.Localhost, 11394, 11394)]
    [InlineData(OeeClusterMode.Localhost, 11111, 11111)]
    [InlineData(OeeClusterMode.PostgreSql, 11394, 11111)]
    public void The_primary_itself_and_a_silo_of_a_PostgreSQL_cluster_say_nothing(OeeClusterMode mode, int siloPort, int primarySiloPort)
    {
        var logger = new FakeLogger<LocalhostPrimaryNotice>();

        new LocalhostPrimaryNotice(new OeeClusterOptions { Mode = mode, SiloPort = siloPort, PrimarySiloPort = primarySiloPort }, logger).Announce();

        Assert.Empty(logger.Collector.GetSnapshot());
    }
}
