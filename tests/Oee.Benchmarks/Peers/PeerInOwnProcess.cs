using System.Globalization;
using System.Runtime;
using Oee.Benchmarks.Cli;
using Oee.Benchmarks.Hosting;
using Oee.Benchmarks.Measurement;
using Oee.Benchmarks.Scenarios;

namespace Oee.Benchmarks.Peers;

/// <summary>
/// A peer's drain in a process of its own that runs with .NET's default runtime settings, beside the same peer in the
/// benchmark process. The benchmark process runs with the in-process silo's settings (tiered PGO and quick JIT off,
/// tier-up without the call-counting delay, non-concurrent GC: chosen for OEE's cold start); a Hangfire or Quartz
/// application runs with .NET's defaults, and session 19 saw Hangfire.InMemory drain ~1.27× faster under them. So
/// the peer is also measured as its users run it: mode <c>&lt;peer&gt;-own-process</c>, a new process per round
/// (warm-ups and one measured run, as every child-process target), its figures read from the child's JSON lines.
/// Server GC stays on, as ASP.NET Core's default (a Hangfire or Quartz server usually lives in a web application).
/// </summary>
internal static class PeerInOwnProcess
{
    /// <summary>The hidden command of the child process: <c>peer-drain &lt;mode&gt; &lt;options&gt;</c>.</summary>
    public const string Command = "peer-drain";

    /// <summary>Appended to the peer's mode in the figures of its own process.</summary>
    public const string Suffix = "-own-process";

    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(10);

    private static readonly TimeSpan TierUpTime = TimeSpan.FromSeconds(6);

    // .NET's defaults where the harness's runtimeconfig departs from them; environment variables win over the
    // runtimeconfig's properties. CLR knobs read DWORDs as hexadecimal: 0x64 = 100 ms, the default call-counting delay.
    private static readonly Dictionary<string, string> DefaultRuntime = new()
    {
        ["DOTNET_TieredPGO"] = "1",
        ["DOTNET_TC_QuickJit"] = "1",
        ["DOTNET_TC_CallCountingDelayMs"] = "64",
        ["DOTNET_gcConcurrent"] = "1",
    };

    /// <summary>The peers that can run so: Hangfire.InMemory and Quartz RAMJobStore.</summary>
    public static Func<CancellationToken, Task<IPeer>>? Starter(string mode, int? workers) => mode switch
    {
        HangfirePeers.InMemoryMode => ct => HangfirePeers.StartInMemoryAsync(workers, ct),
        QuartzPeer.ModeName => ct => QuartzPeer.StartAsync(workers, ct),
        _ => null,
    };

    /// <summary>
    /// In the benchmark process: the drain of <paramref name="mode"/> in a new child process with .NET's default
    /// runtime settings, <c>--warmup</c> warm-ups and <c>--runs</c> measured runs of <paramref name="count"/> jobs; its
    /// figures with the mode <paramref name="mode"/> + <see cref="Suffix"/>. A child that fails is left out and named
    /// in <see cref="BenchContext.Missing"/>, as a failing peer in this process is.
    /// </summary>
    public static async Task<IEnumerable<Figure>> DrainAsync(BenchContext context, string scenario, string mode, int count, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var outFile = Path.Combine(context.LogDir, $"{mode}{Suffix}-{Guid.NewGuid():N}.jsonl");
        var args = new List<string>
        {
            Command, mode, "drain",
            "--count", count.ToString(CultureInfo.InvariantCulture),
            "--warmup", options.Warmups.ToString(CultureInfo.InvariantCulture),
            "--runs", options.Runs.ToString(CultureInfo.InvariantCulture),
            "--concurrency", options.Concurrency.ToString(CultureInfo.InvariantCulture),
            "--out", outFile, "--log-dir", context.LogDir,
        };
        if (options.PeerWorkers is { } workers)
        {
            args.AddRange(["--peer-workers", workers.ToString(CultureInfo.InvariantCulture)]);
        }

        context.Say($"{scenario} {mode}{Suffix}: {mode} in a process of its own with .NET's default runtime settings (tiered PGO, quick JIT, background GC)");
        try
        {
            await using var child = ChildProcess.StartSelf($"{mode}{Suffix}", args, context.LogDir, DefaultRuntime);
            await child.EndedWellAsync("its process", RunLimit, outFile, cancellationToken);
            var figures = (await File.ReadAllLinesAsync(outFile, cancellationToken)).Select(line => Renamed(scenario, line, mode + Suffix)).ToList();
            var throughput = figures.FirstOrDefault(f => f.Name == Comparison.Ratios.Throughput);
            context.Say(string.Create(CultureInfo.InvariantCulture, $"{scenario} {mode}{Suffix}: {throughput?.Median:0} jobs/s"));
            return figures;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            context.LeaveOut(scenario, $"{mode}{Suffix} failed and is left out of the figures ({ex.Message})");
            return [];
        }
    }

    /// <summary>In the child process: the peer's drain as <see cref="PeerMeasurement"/> measures it in the benchmark process.</summary>
    public static async Task<IReadOnlyList<Figure>> RunChildAsync(BenchContext context, string mode, CancellationToken cancellationToken)
    {
        var start = Starter(mode, context.Options.PeerWorkers)
            ?? throw new BenchmarkFailedException($"{Command}: '{mode}' is not a peer that runs in a process of its own; one of {HangfirePeers.InMemoryMode}, {QuartzPeer.ModeName}.");
        context.Say($"{Command} {mode}: server GC {GCSettings.IsServerGC}, GC latency mode {GCSettings.LatencyMode} (Interactive: background GC)");
        var count = context.Options.Count ?? DrainScenario.DefaultCount;
        await TierUpAsync(context, mode, start, count, cancellationToken);
        var figures = (await PeerMeasurement.DrainAsync(context, "drain", mode, start, count, cancellationToken)).ToList();
        return context.Missing.Count > 0
            ? throw new BenchmarkFailedException(string.Join("; ", context.Missing))
            : figures;
    }

    /// <summary>
    /// Untimed drains of fresh peers for at least <see cref="TierUpTime"/> before the warm-ups: with .NET's defaults a
    /// method runs unoptimized, then instrumented, and is compiled optimized only after 30 calls and 100 ms without new
    /// tier-0 methods (a fast peer's two warm-up drains take well under a second), so without this the measured runs
    /// would catch the peer before its steady state, which its users' long-running servers reach.
    /// </summary>
    private static async Task TierUpAsync(BenchContext context, string mode, Func<CancellationToken, Task<IPeer>> start, int count, CancellationToken cancellationToken)
    {
        var began = System.Diagnostics.Stopwatch.GetTimestamp();
        var drains = 0;
        while (drains < 2 || System.Diagnostics.Stopwatch.GetElapsedTime(began) < TierUpTime)
        {
            await using var peer = await start(cancellationToken);
            await new PeerDrainRun(context, peer, count).RunAsync(cancellationToken);
            drains++;
        }

        context.Say(string.Create(CultureInfo.InvariantCulture, $"{Command} {mode}: {drains} untimed drains in {System.Diagnostics.Stopwatch.GetElapsedTime(began).TotalSeconds:0.0} s for the tiered compiler"));
    }

    private static Figure Renamed(string scenario, string line, string mode)
    {
        var figure = Report.ParseLine(line);
        return figure with { Scenario = scenario, Parameters = new Dictionary<string, string>(figure.Parameters) { ["mode"] = mode } };
    }
}
