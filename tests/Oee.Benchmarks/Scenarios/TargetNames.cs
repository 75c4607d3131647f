using Oee.Benchmarks.Cli;

namespace Oee.Benchmarks.Scenarios;

/// <summary>The command-line spelling of a target kind, used in labels and parameters.</summary>
internal static class TargetNames
{
    public static string Of(TargetKind kind) => kind switch
    {
        TargetKind.InProc => "inproc",
        TargetKind.Client => "client",
        TargetKind.Rest => "rest",
        TargetKind.RestHttp2 => "rest-h2",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
