using System.Net;
using System.Net.Sockets;

namespace Oee.Tests.Shared;

/// <summary>
/// Free TCP ports on 127.0.0.1 for the silos and APIs that tests and benchmarks start. Taken below
/// the kernel's ephemeral range: a port the kernel hands out for a bind to port 0 comes from that
/// range, and the same port can go to an outgoing connection before the child process binds it
/// (seen once in CI: an API process failed with "address already in use" and the test timed out).
/// Never the same port twice in one process.
/// </summary>
public static class LoopbackPorts
{
    private const string EphemeralRangeFile = "/proc/sys/net/ipv4/ip_local_port_range";
    private const int Lowest = 20_000;
    private static readonly HashSet<int> Given = [];
    private static readonly (int Low, int High) Range = BelowEphemeralRange();

    /// <summary>A port free now, below the ephemeral range, not handed out before by this process.</summary>
    public static int Next()
    {
        lock (Given)
        {
            for (var attempt = 0; attempt < 1_000; attempt++)
            {
                var port = Range.High > Range.Low ? Random.Shared.Next(Range.Low, Range.High) : FromKernel();
                if (!Given.Contains(port) && IsFree(port))
                {
                    Given.Add(port);
                    return port;
                }
            }
        }

        throw new InvalidOperationException($"No free port on 127.0.0.1 in {Range.Low}–{Range.High - 1} after 1,000 tries.");
    }

    /// <summary>[20000, start of the ephemeral range) — Linux's default start is 32768; empty when the range starts lower.</summary>
    private static (int Low, int High) BelowEphemeralRange()
    {
        var start = 32_768;
        if (File.Exists(EphemeralRangeFile)
            && int.TryParse(File.ReadAllText(EphemeralRangeFile).Split(['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(), out var configured))
        {
            start = configured;
        }

        return (Lowest, Math.Max(Lowest, start));
    }

    private static bool IsFree(int port)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FromKernel()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
