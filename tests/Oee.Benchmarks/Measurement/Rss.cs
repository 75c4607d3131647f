using System.Globalization;

namespace Oee.Benchmarks.Measurement;

/// <summary>Resident memory of processes, from /proc/&lt;pid&gt;/status (VmRSS).</summary>
internal static class Rss
{
    /// <summary>The summed VmRSS of <paramref name="pids"/> in MiB; NaN when unavailable (not Linux, process gone).</summary>
    public static double ReadMiB(IReadOnlyList<int> pids)
    {
        if (pids.Count == 0)
        {
            return double.NaN;
        }

        double total = 0;
        foreach (var pid in pids)
        {
            var kib = ReadKiB(pid);
            if (kib is null)
            {
                return double.NaN;
            }

            total += kib.Value;
        }

        return total / 1024;
    }

    private static long? ReadKiB(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    var digits = line["VmRSS:".Length..].Trim().Split(' ')[0];
                    return long.Parse(digits, CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
            // Gone, or no /proc.
        }
        catch (UnauthorizedAccessException)
        {
            // Not ours to read.
        }

        return null;
    }
}
