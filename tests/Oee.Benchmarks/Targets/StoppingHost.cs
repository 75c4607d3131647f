using Microsoft.Extensions.Hosting;

namespace Oee.Benchmarks.Targets;

/// <summary>A started host that is stopped (with a time limit) and disposed when disposed.</summary>
internal sealed class StoppingHost(IHost host) : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);

    public IHost Host { get; } = host;

    public async ValueTask DisposeAsync()
    {
        using (var limit = new CancellationTokenSource(StopTimeout))
        {
            try
            {
                await Host.StopAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                // Took too long: dispose regardless.
            }
        }

        if (Host is IAsyncDisposable asyncHost)
        {
            await asyncHost.DisposeAsync();
        }
        else
        {
            Host.Dispose();
        }
    }
}
