using Oee.Benchmarks.Cli;
using Oee.Benchmarks.Hosting;

namespace Oee.Benchmarks.Targets;

/// <summary>Starts the system under test the way a scenario asks for it.</summary>
internal sealed class TargetFactory(RepoPaths paths, string logDir)
{
    public Task<IBenchTarget> StartAsync(TargetSettings settings, CancellationToken cancellationToken) => settings.Kind switch
    {
        TargetKind.InProc => InProcessTarget.StartAsync(settings, cancellationToken),
        TargetKind.Client => ClientTarget.StartAsync(paths, settings, logDir, cancellationToken),
        TargetKind.Rest => RestApiTarget.StartAsync(paths, settings, logDir, http2: false, cancellationToken),
        TargetKind.RestHttp2 => RestApiTarget.StartAsync(paths, settings, logDir, http2: true, cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Kind, "Unknown target kind."),
    };
}
