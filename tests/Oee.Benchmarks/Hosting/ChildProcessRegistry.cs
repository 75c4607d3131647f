using System.Collections.Concurrent;
using System.Diagnostics;

namespace Oee.Benchmarks.Hosting;

/// <summary>
/// Every child process this benchmark started, so that none outlives it: they are killed on
/// normal exit, Ctrl+C, SIGTERM and unhandled exceptions.
/// </summary>
internal static class ChildProcessRegistry
{
    private static readonly ConcurrentDictionary<int, Process> Children = new();

    /// <summary>Kills the children when this process ends, however it ends.</summary>
    public static void InstallExitHooks()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
        AppDomain.CurrentDomain.UnhandledException += (_, _) => KillAll();
    }

    public static void Add(Process process) => Children[process.Id] = process;

    public static void Remove(Process process) => Children.TryRemove(process.Id, out _);

    /// <summary>Kills every child still running (with its own children).</summary>
    public static void KillAll()
    {
        foreach (var (_, process) in Children)
        {
            Kill(process);
        }

        Children.Clear();
    }

    /// <summary>Kills one process tree; quiet when it already ended.</summary>
    public static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // It ended meanwhile.
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // It ended meanwhile, or is not ours to kill any more.
        }
    }
}
