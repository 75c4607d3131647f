using System.Diagnostics;
using System.Globalization;

namespace Oee.Benchmarks.Measurement;

/// <summary>
/// CPU used during a run by PostgreSQL (processes named postgres) and by every other process
/// that is not ours, in cores, from /proc. On a shared 2-core machine the second says how far a
/// figure can be trusted: anything well above 0 means the run competed with something else.
/// </summary>
internal sealed class ForeignCpu
{
    /// <summary>USER_HZ on Linux: the unit of /proc's CPU times.</summary>
    internal const double TicksPerSecond = 100;

    private readonly IReadOnlyList<int> ours;
    private readonly long busyAtStart;
    private readonly long oursAtStart;
    private readonly long postgresAtStart;
    private readonly long startTimestamp;

    private ForeignCpu(IReadOnlyList<int> ours)
    {
        this.ours = ours;
        busyAtStart = MachineBusyTicks();
        oursAtStart = TicksOf(ours);
        postgresAtStart = TicksOf(PostgresProcesses());
        startTimestamp = Stopwatch.GetTimestamp();
    }

    /// <summary>Starts counting; <paramref name="silos"/> are our child processes (this process is always counted as ours).</summary>
    public static ForeignCpu Start(IReadOnlyList<int> silos) =>
        new([.. silos.Append(Environment.ProcessId).Distinct()]);

    /// <summary>Cores used since the start by PostgreSQL and by all other processes not ours (NaN when /proc is unreadable).</summary>
    public (double Postgres, double Others) Stop()
    {
        var seconds = Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds;
        var busy = MachineBusyTicks() - busyAtStart;
        var mine = TicksOf(ours) - oursAtStart;

        // Backends that ended during the run take their ticks with them: this is a lower bound.
        var postgres = Math.Max(0, TicksOf(PostgresProcesses()) - postgresAtStart);
        if (busyAtStart < 0 || busy < 0 || mine < 0 || seconds <= 0)
        {
            return (double.NaN, double.NaN);
        }

        return (postgres / TicksPerSecond / seconds, Math.Max(0, busy - mine - postgres) / TicksPerSecond / seconds);
    }

    private static long MachineBusyTicks()
    {
        try
        {
            var cpu = File.ReadLines("/proc/stat").First(l => l.StartsWith("cpu ", StringComparison.Ordinal));
            var f = cpu.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();

            // user nice system idle iowait irq softirq steal: user, nice, system and steal. Interrupt time is
            // left out: it is mostly our own loopback traffic, which no process is charged with.
            return f[0] + f[1] + f[2] + f[7];
        }
        catch (Exception ex) when (ex is IOException or FormatException or InvalidOperationException or IndexOutOfRangeException)
        {
            return -1;
        }
    }

    private static List<int> PostgresProcesses()
    {
        var pids = new List<int>();
        try
        {
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                    && ReadOrNull($"{dir}/comm")?.StartsWith("postgres", StringComparison.Ordinal) == true)
                {
                    pids.Add(pid);
                }
            }
        }
        catch (IOException)
        {
            // No /proc: nothing to count.
        }

        return pids;
    }

    /// <summary>utime + stime of the processes that still exist, in ticks of <see cref="TicksPerSecond"/>.</summary>
    internal static long TicksOf(IEnumerable<int> pids)
    {
        long total = 0;
        foreach (var pid in pids)
        {
            // utime and stime are fields 14 and 15; the command name (field 2) may hold spaces, so count after its ')'.
            var stat = ReadOrNull($"/proc/{pid}/stat");
            if (stat is null)
            {
                continue;
            }

            var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (rest.Length > 12
                && long.TryParse(rest[11], CultureInfo.InvariantCulture, out var user)
                && long.TryParse(rest[12], CultureInfo.InvariantCulture, out var system))
            {
                total += user + system;
            }
        }

        return total;
    }

    private static string? ReadOrNull(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
