using System.Net.Sockets;
using Npgsql;
using Oee.Grains.Storage.Postgres;

namespace Oee.Grains.Tests.Storage.Postgres;

/// <summary>Which errors count as a connection the server closed (and so clear the pool, and let a read run again).</summary>
public sealed class PostgresConnectionLossTests
{
    [Theory]
    [InlineData(PostgresErrorCodes.AdminShutdown)]
    [InlineData(PostgresErrorCodes.CrashShutdown)]
    [InlineData(PostgresErrorCodes.ConnectionFailure)]
    [InlineData(PostgresErrorCodes.ConnectionException)]
    [InlineData(PostgresErrorCodes.ProtocolViolation)]
    public void The_servers_errors_about_the_connection_count(string sqlState) =>
        Assert.True(PostgresConnectionLoss.Is(Server(sqlState)));

    [Theory]
    [InlineData(PostgresErrorCodes.UniqueViolation)]
    [InlineData(PostgresErrorCodes.QueryCanceled)]
    [InlineData(PostgresErrorCodes.SyntaxError)]
    [InlineData(PostgresErrorCodes.ObjectNotInPrerequisiteState)]
    [InlineData(PostgresErrorCodes.CannotConnectNow)]
    [InlineData(PostgresErrorCodes.TooManyConnections)]
    public void Answers_about_the_statement_or_a_refused_new_connection_do_not(string sqlState) =>
        Assert.False(PostgresConnectionLoss.Is(Server(sqlState)));

    [Fact]
    public void Npgsql_failing_to_read_or_write_the_socket_counts_and_a_timeout_does_not()
    {
        Assert.True(PostgresConnectionLoss.Is(new NpgsqlException("Exception while reading from stream", new EndOfStreamException())));
        Assert.True(PostgresConnectionLoss.Is(new NpgsqlException("Exception while writing to stream", new IOException("broken pipe"))));
        Assert.True(PostgresConnectionLoss.Is(new NpgsqlException("Exception while connecting", new SocketException((int)SocketError.ConnectionReset))));
        Assert.False(PostgresConnectionLoss.Is(new NpgsqlException("Exception while reading from stream", new TimeoutException())));
        Assert.False(PostgresConnectionLoss.Is(new NpgsqlException("no inner error")));
    }

    [Fact]
    public void It_is_found_inside_a_wrapper_and_nothing_that_is_not_Npgsqls_counts()
    {
        Assert.True(PostgresConnectionLoss.Is(new InvalidOperationException("batch failed", Server(PostgresErrorCodes.AdminShutdown))));
        Assert.False(PostgresConnectionLoss.Is(new InvalidOperationException("batch failed", Server(PostgresErrorCodes.UniqueViolation))));
        Assert.False(PostgresConnectionLoss.Is(new IOException("a file, not the database")));
        Assert.False(PostgresConnectionLoss.Is(new TimeoutException()));
    }

    [Fact]
    public void A_cancellation_does_not_count_even_around_a_lost_connection() =>
        Assert.False(PostgresConnectionLoss.Is(new OperationCanceledException("cancelled", new NpgsqlException("Exception while reading from stream", new EndOfStreamException()))));

    private static PostgresException Server(string sqlState) => new("server message", "FATAL", "FATAL", sqlState);
}
