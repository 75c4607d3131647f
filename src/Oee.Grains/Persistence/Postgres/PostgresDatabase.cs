using Microsoft.Extensions.Options;
using Npgsql;
using Oee.Grains.Hosting;

namespace Oee.Grains.Persistence.Postgres;

/// <summary>The silo's pooled connection source for OEE's own tables, and the service id that scopes every row.</summary>
internal sealed class PostgresDatabase(IOptions<OeePostgresOptions> postgres, IOptions<Orleans.Configuration.ClusterOptions> cluster) : IAsyncDisposable
{
    public NpgsqlDataSource DataSource { get; } = NpgsqlDataSource.Create(postgres.Value.ConnectionString!);

    public string ServiceId { get; } = cluster.Value.ServiceId;

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
