using System.Diagnostics;

namespace Oee.Benchmarks.Hosting;

/// <summary>Runs a short command to completion and returns its stdout; throws with stderr when it fails.</summary>
internal static class ScriptRunner
{
    public static async Task<string> RunAsync(
        string file,
        IEnumerable<string> args,
        IReadOnlyDictionary<string, string> environment,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(file)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}.");
        ChildProcessRegistry.Add(process);
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(timeout);
            await process.WaitForExitAsync(limit.Token);
            var output = await stdout;
            return process.ExitCode == 0
                ? output
                : throw new InvalidOperationException(
                    $"{file} {string.Join(' ', info.ArgumentList)} failed with exit code {process.ExitCode}:\n{await stderr}{output}");
        }
        finally
        {
            ChildProcessRegistry.Kill(process);
            ChildProcessRegistry.Remove(process);
        }
    }
}
