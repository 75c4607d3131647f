using System.Net;
using System.Net.Sockets;

namespace Oee.Benchmarks.Hosting;

/// <summary>Free TCP ports on 127.0.0.1, so that benchmark clusters never clash with others on this machine.</summary>
internal static class FreePorts
{
    private static readonly HashSet<int> Given = [];

    /// <summary>A port that is free now and was not handed out before in this process.</summary>
    public static int Next()
    {
        lock (Given)
        {
            while (true)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                listener.Stop();
                if (Given.Add(port))
                {
                    return port;
                }
            }
        }
    }
}
