using System.Diagnostics;

namespace Oee.Benchmarks.Hosting;

/// <summary>
/// One <c>dotnet some.dll args</c> child: its output goes to a log file, and disposing it
/// kills it (with its children). Registered so that it dies with the benchmark.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StreamWriter log;
    private readonly Lock logLock = new();

    private ChildProcess(string name, Process process, StreamWriter log, string logPath)
    {
        Name = name;
        this.process = process;
        this.log = log;
        LogPath = logPath;
    }

    /// <summary>A short name for messages, e.g. "silo 1".</summary>
    public string Name { get; }

    /// <summary>Where its stdout and stderr go.</summary>
    public string LogPath { get; }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    /// <summary>
    /// Starts this program again (<c>dotnet Oee.Benchmarks.dll <paramref name="args"/></c>): a fresh benchmark process
    /// for a cold start, or the HTTP floor's server.
    /// </summary>
    public static ChildProcess StartSelf(string name, IEnumerable<string> args, string logDir, IReadOnlyDictionary<string, string>? environment = null)
    {
        var self = System.Reflection.Assembly.GetEntryAssembly()?.Location
            ?? throw new InvalidOperationException($"The benchmark's own dll is unknown; {name} is started from it.");
        return Start(name, self, args, logDir, environment);
    }

    /// <summary>Starts <c>dotnet <paramref name="dll"/> <paramref name="args"/></c>, with <paramref name="environment"/> added to its environment.</summary>
    public static ChildProcess Start(string name, string dll, IEnumerable<string> args, string logDir, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                info.Environment[key] = value;
            }
        }

        Directory.CreateDirectory(logDir);
        var logPath = Path.Combine(logDir, $"{name.Replace(' ', '-')}-{DateTime.UtcNow:HHmmss.fff}.log");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        log.WriteLine($"$ dotnet {string.Join(' ', info.ArgumentList)}");
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(name, process, log, logPath);
        process.OutputDataReceived += (_, e) => child.Write(e.Data);
        process.ErrorDataReceived += (_, e) => child.Write(e.Data);
        process.Start();
        ChildProcessRegistry.Add(process);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>The last lines of its log, for error messages.</summary>
    public string Tail(int lines = 20)
    {
        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var all = reader.ReadToEnd().Split('\n');
            return string.Join('\n', all.TakeLast(lines));
        }
        catch (IOException ex)
        {
            return $"(log unreadable: {ex.Message})";
        }
    }

    /// <summary>Waits until it exits by itself; its exit code.</summary>
    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode;
    }

    /// <summary>
    /// Waits until the child ends, at most <paramref name="limit"/>, and checks that it ended well (exit code 0 and
    /// <paramref name="output"/>, the file it was to write, there); otherwise throws, naming <paramref name="what"/> and
    /// quoting the end of its log.
    /// </summary>
    public async Task EndedWellAsync(string what, TimeSpan limit, string output, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        int exitCode;
        try
        {
            exitCode = await WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new Cli.BenchmarkFailedException($"{what} did not end within {limit}; its log {LogPath} ends with:\n{Tail()}");
        }

        if (exitCode != 0 || !File.Exists(output))
        {
            throw new Cli.BenchmarkFailedException($"{what} failed (exit code {exitCode}); its log {LogPath} ends with:\n{Tail()}");
        }
    }

    /// <summary>Throws with its log's tail when it has exited.</summary>
    public void ThrowIfExited()
    {
        if (process.HasExited)
        {
            throw new InvalidOperationException(
                $"{Name} (pid {process.Id}) exited with code {process.ExitCode}; its log {LogPath} ends with:\n{Tail()}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        ChildProcessRegistry.Kill(process);
        using (var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            try
            {
                await process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                // Killed but not reaped in time; nothing more to do.
            }
        }

        ChildProcessRegistry.Remove(process);
        lock (logLock)
        {
            log.Dispose();
        }

        process.Dispose();
    }

    private void Write(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (logLock)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // Output after disposal is dropped.
            }
        }
    }
}
