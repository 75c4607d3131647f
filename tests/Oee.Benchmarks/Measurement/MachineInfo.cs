using System.Globalization;
using System.Runtime.InteropServices;

namespace Oee.Benchmarks.Measurement;

/// <summary>A one-line description of the machine and runtime, printed above the results.</summary>
internal static class MachineInfo
{
    public static string Describe()
    {
        var cpu = FirstValue("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString();
        var memKiB = FirstValue("/proc/meminfo", "MemTotal")?.Split(' ')[0];
        var memory = long.TryParse(memKiB, NumberStyles.Integer, CultureInfo.InvariantCulture, out var kib)
            ? $"{kib / 1024.0 / 1024.0:0.0} GiB RAM"
            : "RAM unknown";
        return $"{Environment.ProcessorCount} cores ({cpu}), {memory}, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}";
    }

    private static string? FirstValue(string file, string key)
    {
        try
        {
            return File.ReadLines(file)
                .Where(l => l.StartsWith(key, StringComparison.Ordinal))
                .Select(l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim())
                .FirstOrDefault();
        }
        catch (IOException)
        {
            return null;
        }
    }
}
