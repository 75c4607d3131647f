using Npgsql;

namespace Oee.Benchmarks.Hosting;

/// <summary>
/// Closes the idle PostgreSQL connections an in-process silo leaves in this process's Npgsql
/// pools once it is stopped, so that the next target of a durable run starts with the server's
/// connection slots free (max_connections is 200 on the project's server).
/// </summary>
internal sealed class NpgsqlPoolReset : IAsyncDisposable
{
    public ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        return ValueTask.CompletedTask;
    }
}
