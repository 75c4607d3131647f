using System.Net.Sockets;
using Npgsql;

namespace Oee.Grains.Storage.Postgres;

/// <summary>
/// Which errors mean "the server closed this connection" (a restart, a failover, an administrator
/// ending sessions), as opposed to an answer about the statement. Npgsql keeps idle connections
/// pooled and learns that one is dead only when a statement uses it; it then clears its pool, so
/// after a restart one statement per silo meets a dead connection, and
/// <see cref="PostgresDatabase.Read{TArg, T}"/> runs a read that did once more. Pure: no I/O, no state.
/// </summary>
internal static class PostgresConnectionLoss
{
    /// <summary>
    /// True for an error of the server about the connection itself (SQL state class 08, 57P01 admin
    /// shutdown, 57P02 crash shutdown) or Npgsql's failure on the socket (reading, writing, or a new
    /// connection refused or reset), anywhere in the chain. False for every other answer of the server
    /// (a constraint, a statement timeout, a database that is starting or does not accept connections:
    /// a new connection would get the same), for a cancellation, and for anything not Npgsql's.
    /// </summary>
    public static bool Is(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case OperationCanceledException:
                    return false;
                case PostgresException postgres:
                    return postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
                        || postgres.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown;
                case NpgsqlException npgsql:
                    return npgsql.InnerException is IOException or SocketException;
            }
        }

        return false;
    }
}
