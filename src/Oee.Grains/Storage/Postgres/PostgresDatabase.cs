using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Oee.Grains.Storage.Postgres;

/// <summary>
/// The silo's pooled connection source for OEE's own tables, the service id that scopes every row,
/// and <see cref="Read{TArg, T}"/>, which OEE's reads go through so that a database restart does not
/// fail the first read after it.
/// </summary>
internal sealed partial class PostgresDatabase(NpgsqlDataSource dataSource, IOptions<Orleans.Configuration.ClusterOptions> cluster, ILogger<PostgresDatabase> logger)
{
    public NpgsqlDataSource DataSource { get; } = dataSource;

    public string ServiceId { get; } = cluster.Value.ServiceId;

    /// <summary>
    /// Runs a statement that only reads, so may run twice. When its connection failed
    /// (<see cref="PostgresConnectionLoss"/>: most often a pooled one the server closed in a restart, a
    /// failover or an administrator's ending of sessions), Npgsql has cleared its pool by then and the
    /// read runs once more, on a new connection. Any other failure, and a second one, reach the caller. (A write is never
    /// run again: a connection lost at its commit leaves its outcome unknown.)
    /// </summary>
    public async Task<T> Read<TArg, T>(Func<PostgresDatabase, TArg, Task<T>> read, TArg arg)
    {
        try
        {
            return await read(this, arg).ConfigureAwait(false);
        }
        catch (Exception exception) when (PostgresConnectionLoss.Is(exception))
        {
            LogReadAgain(logger, exception.GetType().Name, exception.Message);
            return await read(this, arg).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A read's PostgreSQL connection failed ({ErrorType}: {ErrorMessage}), most often a pooled one the server had closed; the read runs again on a new connection")]
    private static partial void LogReadAgain(ILogger logger, string errorType, string errorMessage);
}
