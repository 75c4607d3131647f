using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Oee.Grains.Storage.Postgres;

/// <summary>
/// The session advisory lock that makes processes migrating one database (silos starting together,
/// a <c>migrate</c> step) take turns. The wait has no time limit: behind a long migration of another
/// process (0013 moves every task record) a command timeout would fail a start that only had to wait,
/// with an error that does not name the lock. Instead the wait is logged, at once and then every
/// <see cref="WaitLogInterval"/>. The lock is released when its connection's session ends.
/// </summary>
internal static partial class PostgresMigrationLock
{
    /// <summary>The lock's key, the same in every OEE build.</summary>
    public const long Key = 0x0EE_5C4E_3A;

    /// <summary>How often a process still waiting for the lock says so.</summary>
    public static readonly TimeSpan WaitLogInterval = TimeSpan.FromSeconds(30);

    /// <summary>Takes the lock on <paramref name="connection"/>, waiting as long as another process holds it (or until cancelled).</summary>
    public static async Task AcquireAsync(NpgsqlConnection connection, ILogger logger, CancellationToken cancellationToken)
    {
        await using (var tryLock = Command(connection, "SELECT pg_try_advisory_lock(@key)"))
        {
            if ((bool)(await tryLock.ExecuteScalarAsync(cancellationToken))!)
            {
                return;
            }
        }

        LogWaiting(logger, Key);
        using var stopLogging = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var logging = LogWhileWaiting(logger, stopLogging.Token);
        try
        {
            await using var waitForLock = Command(connection, "SELECT pg_advisory_lock(@key)");
            await waitForLock.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            await stopLogging.CancelAsync();
            await logging;
        }
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql)
    {
        // No command timeout: waiting is this command's job (a cancellation still ends it).
        var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        command.Parameters.AddWithValue("key", Key);
        return command;
    }

    private static async Task LogWhileWaiting(ILogger logger, CancellationToken stop)
    {
        var started = Stopwatch.GetTimestamp();
        using var timer = new PeriodicTimer(WaitLogInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                LogStillWaiting(logger, (long)Stopwatch.GetElapsedTime(started).TotalSeconds);
            }
        }
        catch (OperationCanceledException)
        {
            // The lock was taken, or the wait cancelled.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Waiting for another process's PostgreSQL migration to finish (advisory lock {LockKey}); no time limit")]
    private static partial void LogWaiting(ILogger logger, long lockKey);

    [LoggerMessage(Level = LogLevel.Information, Message = "Still waiting for another process's PostgreSQL migration to finish ({Seconds} s so far)")]
    private static partial void LogStillWaiting(ILogger logger, long seconds);
}
