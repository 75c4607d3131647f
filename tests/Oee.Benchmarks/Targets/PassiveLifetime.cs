using Microsoft.Extensions.Hosting;

namespace Oee.Benchmarks.Targets;

/// <summary>
/// A host lifetime that ignores Ctrl+C and SIGTERM: the benchmark's Program handles them and
/// stops its hosts itself, in order, instead of each host stopping on its own mid-run.
/// </summary>
internal sealed class PassiveLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
