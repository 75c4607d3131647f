using Oee.Benchmarks.Cli;
using Oee.Benchmarks.Comparison;
using Oee.Benchmarks.Floor;
using Oee.Benchmarks.Measurement;
using Oee.Benchmarks.Peers;
using Oee.Benchmarks.Targets;

namespace Oee.Benchmarks.Scenarios;

/// <summary>
/// <c>compare</c>: the whole comparison of issue 13 in one invocation: <c>drain</c> (in-process, client,
/// REST over HTTP/1.1 and over HTTP/2, client and REST with batch submits (<see cref="BatchedDrain"/>), Hangfire.InMemory, Quartz RAM, the bare-grain floor, the card floor), <c>latency</c> at 100/s (in-process and
/// Hangfire.InMemory), <c>durable</c> (in-process drain and latency at 100/s, Hangfire.PostgreSql with a
/// 50 ms and a 10 ms poll), then a table of the bars: each ratio measured, its bar, pass or fail.
/// Figures keep their scenarios' names (drain, latency, durable), so the ratios are the same figures
/// those scenarios print.
/// </summary>
internal sealed class CompareScenario : IScenario
{
    private const int Rate = 100;

    /// <summary>Fresh processes whose first runs give each mode's cold figure (their median).</summary>
    private const int DefaultColdStarts = 3;

    public string Name => "compare";

    public string Summary => "drain (and client/REST batch submits) + latency 100/s + durable, each beside Hangfire/Quartz/the floors, then issue 13's bars (ratio, bar, pass/fail)";

    public async Task<IReadOnlyList<Figure>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var figures = new List<Figure>();
        figures.AddRange(await DrainScenario.MeasureAllAsync(
            context, "drain", [TargetKind.InProc, TargetKind.Client, TargetKind.Rest, TargetKind.RestHttp2], options.Count ?? DrainScenario.DefaultCount, withPeers: true, options.ColdStarts ?? DefaultColdStarts, cancellationToken, BatchedDrain.CompareDefaults));
        figures.AddRange(await LatencyScenario.MeasureAllAsync(
            context, "latency", TargetSettings.Of(TargetKind.InProc, options.Concurrency), [Rate], withPeers: true, cancellationToken));
        figures.AddRange(await DurableScenario.MeasureAllAsync(
            context, "durable", [TargetKind.InProc], options.DurableCount ?? DurableScenario.DefaultCount, [Rate], withPeers: true, cancellationToken));

        var bars = Bars(figures);
        context.Sections.Add(BarTable.Render(bars));
        figures.AddRange(BarTable.AsFigures(bars));
        return figures;
    }

    /// <summary>Issue 13's bars over the ratios of one run.</summary>
    public static IReadOnlyList<Bar> Bars(IReadOnlyList<Figure> figures)
    {
        Figure? Ratio(string scenario, string name, params (string Key, string Value)[] where) =>
            FigureLookup.Find(figures, scenario, name, where.ToDictionary(w => w.Key, w => w.Value));

        var rate = Rate.ToString(System.Globalization.CultureInfo.InvariantCulture);
        const string p99 = Ratios.StartP99 + " ratio";
        return
        [
            new Bar("memory drain, in-process / Hangfire.InMemory", Ratio("drain", Ratios.ThroughputRatio, ("mode", "inproc"), ("vs", HangfirePeers.InMemoryMode)), BarKind.AtLeast, 2.0, "drain"),
            new Bar("memory drain, in-process / Quartz RAMJobStore", Ratio("drain", Ratios.ThroughputRatio, ("mode", "inproc"), ("vs", QuartzPeer.ModeName)), BarKind.AtLeast, 1.0, "drain"),
            new Bar("memory drain, in-process / Hangfire.InMemory in its own process, .NET's default runtime settings", Ratio("drain", Ratios.ThroughputRatio, ("mode", "inproc"), ("vs", HangfirePeers.InMemoryMode + PeerInOwnProcess.Suffix)), BarKind.Reported, double.NaN, "drain: the peer as its users run it (tiered PGO, quick JIT, background GC), not with the in-process silo's settings"),
            new Bar("memory drain, in-process / Quartz RAMJobStore in its own process, .NET's default runtime settings", Ratio("drain", Ratios.ThroughputRatio, ("mode", "inproc"), ("vs", QuartzPeer.ModeName + PeerInOwnProcess.Suffix)), BarKind.Reported, double.NaN, "drain: the same for Quartz"),
            new Bar("memory drain, Orleans client / in-process", Ratio("drain", Ratios.ThroughputRatio, ("mode", "client"), ("vs", "inproc")), BarKind.AtLeast, 0.8, "drain"),
            new Bar("memory drain, REST / in-process", Ratio("drain", Ratios.ThroughputRatio, ("mode", "rest"), ("vs", "inproc")), BarKind.AtLeast, 0.6, "drain: HTTP/1.1, a connection per submit in flight"),
            new Bar("memory drain, REST over HTTP/2 / in-process", Ratio("drain", Ratios.ThroughputRatio, ("mode", "rest-h2"), ("vs", "inproc")), BarKind.Reported, double.NaN, "drain: cleartext HTTP/2, the submits multiplexed on one connection"),
            new Bar("memory drain, Orleans client with batches of 100 / in-process", Ratio("drain", Ratios.ThroughputRatio, ("mode", "client" + BatchedDrain.Suffix), ("vs", "inproc")), BarKind.Reported, double.NaN, "drain: SubmitBatchForReceiptsAsync, 8 calls in flight, against the in-process single submits"),
            new Bar("memory drain, REST with batches of 100 / in-process", Ratio("drain", Ratios.ThroughputRatio, ("mode", "rest" + BatchedDrain.Suffix), ("vs", "inproc")), BarKind.Reported, double.NaN, "drain: POST /api/tasks/batch with Prefer: return=minimal over HTTP/1.1, 8 in flight, against the in-process single submits"),
            new Bar("REST / in-process ceiling from HTTP's own cost (HTTP/1.1)", Ratio("drain", Ratios.RestCeiling, ("mode", "rest")), BarKind.Reported, double.NaN, "drain: in-process CPU / (in-process CPU + the HTTP floor's CPU per request)"),
            new Bar("REST / in-process ceiling from HTTP's own cost (HTTP/2)", Ratio("drain", Ratios.RestCeiling, ("mode", "rest-h2")), BarKind.Reported, double.NaN, "drain: the same with the HTTP/2 floor"),
            new Bar("memory submit→start p99 at 100/s / Hangfire.InMemory's", Ratio("latency", p99, ("mode", "inproc"), ("rate", rate), ("vs", HangfirePeers.InMemoryMode)), BarKind.AtMost, 1.0, "latency, from the send to the body"),
            new Bar("durable drain, in-process / Hangfire.PostgreSql", Ratio("durable", Ratios.ThroughputRatio, ("mode", "inproc"), ("vs", HangfirePeers.PostgresMode)), BarKind.AtLeast, 10.0, "durable"),
            new Bar("durable submit→start p99 at 100/s / Hangfire.PostgreSql's (50 ms poll)", Ratio("durable", p99, ("mode", "inproc"), ("rate", rate), ("vs", HangfirePeers.PostgresMode), ("poll", "50ms")), BarKind.AtMost, 0.5, "durable, from the send to the body"),
            new Bar("durable submit→start p99 at 100/s / Hangfire.PostgreSql's (10 ms poll)", Ratio("durable", p99, ("mode", "inproc"), ("rate", rate), ("vs", HangfirePeers.PostgresMode), ("poll", "10ms")), BarKind.Reported, double.NaN, "durable, from the send to the body"),
            new Bar("cold / warm, in-process", Ratio("drain", Ratios.ColdWarmRatio, ("mode", "inproc")), BarKind.AtLeast, 0.8, "drain: median of fresh starts' first runs / measured median"),
            new Bar("cold / warm, Orleans client", Ratio("drain", Ratios.ColdWarmRatio, ("mode", "client")), BarKind.AtLeast, 0.8, "drain"),
            new Bar("cold / warm, REST", Ratio("drain", Ratios.ColdWarmRatio, ("mode", "rest")), BarKind.AtLeast, 0.8, "drain"),
            new Bar("cold / warm, REST over HTTP/2", Ratio("drain", Ratios.ColdWarmRatio, ("mode", "rest-h2")), BarKind.Reported, double.NaN, "drain"),
            new Bar("in-process drain / bare-grain floor", Ratio("drain", Ratios.ThroughputRatio, ("mode", "inproc"), ("vs", FloorDrain.Mode)), BarKind.Reported, double.NaN, "drain: the engine's share of the floor"),
            new Bar("in-process drain / card floor", Ratio("drain", Ratios.ThroughputRatio, ("mode", "inproc"), ("vs", CardFloorDrain.Mode)), BarKind.Reported, double.NaN, "drain: the share of the card's grain shape that OEE's own logic keeps"),
            new Bar("card floor / Hangfire.InMemory", Ratio("drain", Ratios.ThroughputRatio, ("mode", CardFloorDrain.Mode), ("vs", HangfirePeers.InMemoryMode)), BarKind.Reported, double.NaN, "drain: what the card's shape permits against the 2.0 bar"),
            new Bar("card floor / Quartz RAMJobStore", Ratio("drain", Ratios.ThroughputRatio, ("mode", CardFloorDrain.Mode), ("vs", QuartzPeer.ModeName)), BarKind.Reported, double.NaN, "drain: what the card's shape permits against the 1.0 bar (OEE's drain keeps the card's messages and adds its own logic)"),
            new Bar("bare-grain floor / Quartz RAMJobStore", Ratio("drain", Ratios.ThroughputRatio, ("mode", FloorDrain.Mode), ("vs", QuartzPeer.ModeName)), BarKind.Reported, double.NaN, "drain: one new grain per task, one call, nothing else, against the 1.0 bar"),
            new Bar("card floor / bare-grain floor", Ratio("drain", Ratios.ThroughputRatio, ("mode", CardFloorDrain.Mode), ("vs", FloorDrain.Mode)), BarKind.Reported, double.NaN, "drain: the card's grains per task beside one grain"),
        ];
    }
}
