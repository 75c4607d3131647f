using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Oee.EndToEnd.Tests;

/// <summary>A silo or API process started from the solution's build output, with its output in a log file.</summary>
public sealed partial class OeeProcess : IAsyncDisposable
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

    /// <summary>
    /// Runs the silo's build output with <paramref name="arguments"/> (a command such as <c>migrate</c>)
    /// to its exit, within two minutes: its exit code and what it wrote to stdout and stderr.
    /// </summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunSilo(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(BuildOutput("Oee.Silo"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the silo.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The silo ({string.Join(' ', arguments)}) did not exit within 2 minutes; killed.");
        }

        return (process.ExitCode, await output, await error);
    }

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

    /// <summary>
    /// How long a test waits for a silo to exit after SIGTERM. The silo's own work ends within its
    /// host's shutdown timeout (drain time + cancel grace + 20 s: 35 s in these tests), but Orleans'
    /// membership bookkeeping after it is bounded only by its own limits (marking the silo dead waits
    /// up to a minute; writes that conflict on the membership table back off from 2 s and retry): once
    /// in CI, with both silos stopping at once, a silo took over a minute. The wait is for the exit,
    /// not a speed limit: a normal stop here takes 2–4 s and is printed.
    /// </summary>
    public static readonly TimeSpan StopLimit = TimeSpan.FromMinutes(3);

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

        var stopping = Stopwatch.StartNew();
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(wait.Token);
            Console.WriteLine($"{Name} stopped {stopping.Elapsed.TotalSeconds:0.0} s after SIGTERM");
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"{Name} did not stop within {timeout} of SIGTERM; killed. {UnfinishedStops()} Log: {LogPath}");
        }
    }

    /// <summary>
    /// The parts of the silo whose stop began but did not end, from Orleans' lifecycle lines (logged at
    /// Debug by <c>Orleans.Runtime.SiloLifecycleSubject</c>, which <see cref="OeeDeployment"/> turns on).
    /// </summary>
    public string UnfinishedStops()
    {
        var pending = new List<string>();
        foreach (var match in File.ReadLines(LogPath).Select(l => LifecycleLine().Match(l)).Where(m => m.Success))
        {
            var observer = $"{match.Groups["name"].Value} ({match.Groups["stage"].Value})";
            if (match.Groups["verb"].Value == "stopping")
            {
                pending.Add(observer);
            }
            else
            {
                pending.Remove(observer);
            }
        }

        return pending.Count == 0 ? "No lifecycle stop was left unfinished." : $"Stops begun, not ended: {string.Join(", ", pending)}.";
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

    [GeneratedRegex("'(?<name>[^']+)' (?<verb>stopping|stopped) in stage '(?<stage>[^']+)'")]
    private static partial Regex LifecycleLine();

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
