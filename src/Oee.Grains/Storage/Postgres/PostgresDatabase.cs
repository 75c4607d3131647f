using Microsoft.Extensions.Options;
using Npgsql;

namespace Oee.Grains.Storage.Postgres;

/// <summary>The silo's pooled connection source for OEE's own tables, and the service id that scopes every row.</summary>
internal sealed class PostgresDatabase(NpgsqlDataSource dataSource, IOptions<Orleans.Configuration.ClusterOptions> cluster)
{
    public NpgsqlDataSource DataSource { get; } = dataSource;

    public string ServiceId { get; } = cluster.Value.ServiceId;
}
