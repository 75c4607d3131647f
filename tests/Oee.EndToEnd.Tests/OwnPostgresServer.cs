using System.Diagnostics;
using System.Globalization;
using Oee.Tests.Shared;

namespace Oee.EndToEnd.Tests;

/// <summary>
/// A PostgreSQL server of a test's own (scripts/pg.sh on a port and data folder no other test
/// uses), which the test may stop and start again. Destroyed, data folder and all, at the end.
/// </summary>
public sealed class OwnPostgresServer : IAsyncDisposable
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(3);

    private OwnPostgresServer(int port) => Port = port;

    public int Port { get; }

    public string ConnectionString { get; private set; } = "";

    public static async Task<OwnPostgresServer> Start()
    {
        var server = new OwnPostgresServer(LoopbackPorts.Next());
        try
        {
            await server.StartAgain();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the server (a no-op when it runs): same port, same data.</summary>
    public async Task StartAgain()
    {
        var output = await Run("start");
        ConnectionString = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault()
            ?? throw new InvalidOperationException("scripts/pg.sh start printed no connection string.");
    }

    /// <summary>Stops the server (pg_ctl's fast shutdown: sessions are ended, nothing is lost).</summary>
    public Task Stop() => Run("stop");

    public async ValueTask DisposeAsync() => await Run("destroy");

    private async Task<string> Run(string command)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(TestDatabase.RepositoryRoot(), "scripts", "pg.sh"));
        start.ArgumentList.Add(command);
        start.Environment["OEE_PG_PORT"] = Port.ToString(CultureInfo.InvariantCulture);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not run scripts/pg.sh.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(ScriptTimeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"scripts/pg.sh {command} (port {Port}) did not finish within {ScriptTimeout}.");
        }

        return process.ExitCode == 0
            ? await stdout
            : throw new InvalidOperationException($"scripts/pg.sh {command} (port {Port}) failed with exit code {process.ExitCode}:\n{await stderr}");
    }
}
