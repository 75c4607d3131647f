using System.Diagnostics;

namespace Oee.EndToEnd.Tests;

/// <summary>A silo or API process started from the solution's build output, with its output in a log file.</summary>
public sealed class OeeProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StreamWriter log;

    private OeeProcess(string name, string dll, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        Name = name;
        LogPath = Path.Combine(Path.GetTempPath(), $"oee-e2e-{name}-{Guid.NewGuid():N}.log");
        log = new StreamWriter(LogPath) { AutoFlush = true };
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {name}.");
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }

    public string LogPath { get; }

    public bool HasExited => process.HasExited;

    public static OeeProcess Silo(string name, int siloPort, int gatewayPort, IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        new(name, BuildOutput("Oee.Silo"), ["--Oee:Cluster:SiloPort", Port(siloPort), "--Oee:Cluster:GatewayPort", Port(gatewayPort), "--Oee:Cluster:SiloName", name, .. arguments], environment);

    public static OeeProcess Api(int httpPort, IReadOnlyDictionary<string, string> environment) =>
        new("api", BuildOutput("Oee.Api"), ["--Oee:Api:Mode", "Client", "--Urls", $"http://127.0.0.1:{Port(httpPort)}"], environment);

    /// <summary>SIGKILL: no shutdown, no drain.</summary>
    public void Kill()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    /// <summary>SIGSTOP: the process is frozen (its sockets stay open, nothing answers) until <see cref="Resume"/>.</summary>
    public Task Freeze() => Signal("-STOP");

    /// <summary>SIGCONT: a frozen process runs on.</summary>
    public Task Resume() => Signal("-CONT");

    private async Task Signal(string signal)
    {
        using var kill = Process.Start("kill", [signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill {signal} {process.Id} ({Name}) failed with exit code {kill.ExitCode}.");
        }
    }

    /// <summary>SIGTERM, then wait for a graceful exit.</summary>
    public async Task Terminate(TimeSpan timeout)
    {
        if (process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"{Name} did not stop within {timeout} of SIGTERM; killed. Log: {LogPath}");
        }
    }

    public string LogTail(int lines = 40) => string.Join('\n', File.ReadAllLines(LogPath).TakeLast(lines));

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            Kill();
        }

        process.Dispose();
        await log.DisposeAsync();
    }

    private void Write(string? line)
    {
        if (line is not null)
        {
            lock (log)
            {
                log.WriteLine(line);
            }
        }
    }

    private static string Port(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string BuildOutput(string project)
    {
        // tests/Oee.EndToEnd.Tests/bin/<Configuration>/net10.0 → src/<project>/bin/<Configuration>/net10.0
        var binary = new DirectoryInfo(AppContext.BaseDirectory);
        var framework = binary.Name;
        var configuration = binary.Parent!.Name;
        var root = binary.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
        var dll = Path.Combine(root, "src", project, "bin", configuration, framework, project + ".dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build the solution first: {dll} is missing.", dll);
    }
}
