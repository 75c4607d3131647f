using Oee.Benchmarks.Cli;

namespace Oee.Benchmarks.Targets;

/// <summary>What to start: how it is reached, how many silos, and extra engine settings (Oee:...).</summary>
/// <param name="Kind">In-process, Orleans client or REST.</param>
/// <param name="Silos">Silo processes for <see cref="TargetKind.Client"/>; the others host exactly one silo.</param>
/// <param name="Engine">Settings passed to every silo, e.g. <c>Oee:WorkerSlotsPerSilo</c>.</param>
/// <param name="Connections">HTTP/1.1 connections for <see cref="TargetKind.Rest"/>; for <see cref="TargetKind.RestHttp2"/>, streams in flight (one connection per 100).</param>
internal sealed record TargetSettings(
    TargetKind Kind,
    int Silos,
    IReadOnlyDictionary<string, string> Engine,
    int Connections)
{
    /// <summary>
    /// Environment variables added to the target's processes (silo processes, the API process), e.g. the runtime's
    /// <c>DOTNET_…</c> knobs; none for an in-process target, whose process is the benchmark's own.
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Settings of single silo processes of a <see cref="TargetKind.Client"/> target over <see cref="Engine"/>: the i-th silo takes the i-th (none past the list).</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> PerSilo { get; init; } = [];

    /// <summary>Memory mode, one silo, default engine settings.</summary>
    public static TargetSettings Of(TargetKind kind, int connections) =>
        new(kind, 1, new Dictionary<string, string>(), connections);

    /// <summary>Memory mode, one silo, with these engine settings and environment variables of the target's processes.</summary>
    public static TargetSettings Of(
        TargetKind kind, int connections, IEnumerable<KeyValuePair<string, string>> engine, IEnumerable<KeyValuePair<string, string>>? environment = null)
    {
        var target = engine.Aggregate(Of(kind, connections), (t, s) => t.With(s.Key, s.Value));
        return (environment ?? []).Aggregate(target, (t, e) => t.WithEnvironment(e.Key, e.Value));
    }

    /// <summary>The same with one more engine setting.</summary>
    public TargetSettings With(string key, string value) =>
        this with { Engine = new Dictionary<string, string>(Engine) { [key] = value } };

    /// <summary>The same with one more environment variable for the target's processes.</summary>
    public TargetSettings WithEnvironment(string name, string value) =>
        this with { Environment = new Dictionary<string, string>(Environment) { [name] = value } };
}
