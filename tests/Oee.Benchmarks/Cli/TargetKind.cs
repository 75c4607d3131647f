namespace Oee.Benchmarks.Cli;

/// <summary>How the benchmark reaches the engine.</summary>
internal enum TargetKind
{
    /// <summary>A silo hosted in the benchmark process; IOrchestrator from that host.</summary>
    InProc,

    /// <summary>Silo processes (dotnet Oee.Silo.dll); an external Orleans client in the benchmark process.</summary>
    Client,

    /// <summary>An Oee.Api process with its embedded silo; concurrent HTTP/1.1 clients, a connection each.</summary>
    Rest,

    /// <summary>
    /// An Oee.Api process with its embedded silo whose endpoint speaks HTTP/2 only (cleartext, prior knowledge):
    /// the concurrent submits share one multiplexed connection (up to Kestrel's 100 streams per connection).
    /// </summary>
    RestHttp2,
}
