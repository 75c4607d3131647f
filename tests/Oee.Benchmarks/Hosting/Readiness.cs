using System.Diagnostics;
using System.Net.Sockets;

namespace Oee.Benchmarks.Hosting;

/// <summary>Waits until a child process serves what it should, or fails with its log.</summary>
internal static class Readiness
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    /// <summary>Waits until something accepts TCP connections on 127.0.0.1:<paramref name="port"/>.</summary>
    public static async Task WaitForPortAsync(ChildProcess child, int port, CancellationToken cancellationToken)
    {
        await WaitAsync(child, $"port {port}", async () =>
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync("127.0.0.1", port, cancellationToken);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }, cancellationToken);
    }

    /// <summary>Waits until <paramref name="url"/> answers 200.</summary>
    public static async Task WaitForHttpOkAsync(ChildProcess child, HttpClient http, string url, CancellationToken cancellationToken)
    {
        await WaitAsync(child, url, async () =>
        {
            try
            {
                using var response = await http.GetAsync(url, cancellationToken);
                return response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, cancellationToken);
    }

    private static async Task WaitAsync(ChildProcess child, string what, Func<Task<bool>> ready, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (!await ready())
        {
            child.ThrowIfExited();
            if (clock.Elapsed > StartTimeout)
            {
                throw new TimeoutException($"{child.Name} did not serve {what} within {StartTimeout.TotalSeconds:0} s; log {child.LogPath}:\n{child.Tail()}");
            }

            await Task.Delay(100, cancellationToken);
        }
    }
}
