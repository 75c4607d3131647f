using Oee.Benchmarks.Floor;
using Oee.Benchmarks.Measurement;
using Oee.Benchmarks.Peers;
using Oee.Benchmarks.Scenarios;

namespace Oee.Benchmarks.Comparison;

/// <summary>
/// OEE's figures beside the peers' and the floor's of the same invocation, as ratios (OEE / other). A ratio is a
/// figure of its own (unit <see cref="Unit"/>) with the OEE figure's parameters plus <c>vs</c>, the other's mode; it
/// is left out when either side is missing. Between <c>drain</c>'s targets, which take turns in rounds, a ratio's
/// samples are the rounds' own ratios and its value their median (<see cref="Paired"/>); elsewhere (a target's runs
/// in one go, cold against warm) it is the ratio of the two medians, one sample.
/// </summary>
internal static class Ratios
{
    public const string Unit = "x";
    public const string Throughput = "throughput";
    public const string ThroughputRatio = "throughput ratio";
    public const string ColdWarmRatio = "cold/warm throughput ratio";
    public const string StartP50 = "sent->started p50";
    public const string StartP99 = "sent->started p99";
    public const string RestCeiling = "REST ceiling from HTTP's cost";

    private static readonly string[] OeeModes = ["inproc", "client", "rest", "rest-h2", "client" + BatchedDrain.Suffix, "rest" + BatchedDrain.Suffix];

    /// <summary>
    /// The ratio of two <c>drain</c> targets measured in the same rounds: one sample per round (that round's
    /// <paramref name="numerator"/> / <paramref name="denominator"/>), so that each sample's two sides ran minutes apart
    /// at most and the value is the median of the rounds' ratios. When the two have not the same number of samples (a
    /// target failed in a round) the rounds cannot be told apart: the ratio of the medians, marked <c>pairing=medians</c>.
    /// </summary>
    public static Figure? Paired(string scenario, string name, Figure? numerator, Figure? denominator, IReadOnlyDictionary<string, string> parameters)
    {
        if (numerator is null || denominator is null || numerator.Samples.Count != denominator.Samples.Count || numerator.Samples.Count == 0)
        {
            return Of(scenario, name, numerator, denominator, new Dictionary<string, string>(parameters) { ["pairing"] = "medians" });
        }

        var rounds = numerator.Samples.Zip(denominator.Samples, (n, d) => d > 0 && !double.IsNaN(n) ? n / d : double.NaN).ToList();
        return rounds.Any(double.IsNaN) ? null : new Figure(scenario, name, parameters, Unit, rounds);
    }

    /// <summary>The ratio figure <paramref name="numerator"/> / <paramref name="denominator"/>, or null when either is missing or not positive.</summary>
    public static Figure? Of(string scenario, string name, Figure? numerator, Figure? denominator, IReadOnlyDictionary<string, string> parameters)
    {
        if (numerator is null || denominator is null || !(denominator.Median > 0) || double.IsNaN(numerator.Median))
        {
            return null;
        }

        return new Figure(scenario, name, parameters, Unit, [numerator.Median / denominator.Median]);
    }

    /// <summary>
    /// drain: each OEE mode against Hangfire.InMemory, Quartz RAM (each in this process and in a process of its own with
    /// .NET's default runtime settings, <see cref="PeerInOwnProcess"/>), the bare-grain floor and the card floor;
    /// client and REST against in-process; each mode's cold run against its warm median; the card floor
    /// against Hangfire.InMemory and the bare-grain floor (<see cref="CardFloor"/>); the REST ceilings the HTTP
    /// floors leave (<see cref="RestCeilingOf"/>).
    /// </summary>
    public static IEnumerable<Figure> Drain(IReadOnlyList<Figure> figures, string scenario)
    {
        var ratios = new List<Figure?>();
        foreach (var mode in OeeModes)
        {
            var oee = Mode(figures, scenario, Throughput, mode);
            foreach (var other in new[] { HangfirePeers.InMemoryMode, QuartzPeer.ModeName, HangfirePeers.InMemoryMode + PeerInOwnProcess.Suffix, QuartzPeer.ModeName + PeerInOwnProcess.Suffix, FloorDrain.Mode, CardFloorDrain.Mode, "inproc" })
            {
                if (other != mode)
                {
                    ratios.Add(Paired(scenario, ThroughputRatio, oee, Mode(figures, scenario, Throughput, other), With(oee, "vs", other)));
                }
            }

            if (mode == "inproc")
            {
                // The quick profile: what a task costs the process beside what a bare grain, and the card's grains, cost it.
                ratios.AddRange(CostRatios(figures, scenario, mode, FloorDrain.Mode));
                ratios.AddRange(CostRatios(figures, scenario, mode, CardFloorDrain.Mode));
            }

            ratios.Add(Of(scenario, ColdWarmRatio, Mode(figures, scenario, Throughput + " (cold)", mode), oee, With(oee, "vs", "warm")));
        }

        ratios.AddRange(CardFloor(figures, scenario));
        ratios.Add(RestCeilingOf(figures, scenario, "rest", HttpFloorDrain.Http1Mode));
        ratios.Add(RestCeilingOf(figures, scenario, "rest-h2", HttpFloorDrain.Http2Mode));
        return ratios.OfType<Figure>();
    }

    /// <summary>
    /// drain: the highest REST / in-process throughput ratio the HTTP floor (<see cref="HttpFloorDrain"/>) leaves when
    /// the cores are saturated: in-process CPU per task / (in-process CPU per task + the floor's CPU per request, server
    /// and client). A REST submit costs at least the engine's work (the in-process drain's, submitting side included)
    /// plus HTTP's; whatever the API adds between the two lowers the measured ratio below this.
    /// </summary>
    private static Figure? RestCeilingOf(IReadOnlyList<Figure> figures, string scenario, string restMode, string floorMode)
    {
        var inProcess = Mode(figures, scenario, "CPU per task", "inproc");
        var http = Mode(figures, scenario, "CPU per task (both)", floorMode);
        if (inProcess is null || http is null || !(inProcess.Median > 0) || !(http.Median > 0))
        {
            return null;
        }

        var parameters = With(inProcess, "mode", restMode);
        parameters["vs"] = "inproc";
        parameters["http"] = floorMode;
        return new Figure(scenario, RestCeiling, parameters, Unit, [inProcess.Median / (inProcess.Median + http.Median)]);
    }

    /// <summary>
    /// drain: what the card's shape permits: the card floor's tasks/s against Hangfire.InMemory's (beside
    /// the 2.0 bar of OEE's), against Quartz RAMJobStore's (beside the 1.0 bar; the bare-grain floor's too: one grain
    /// per task and nothing else) and against the bare-grain floor's, and its CPU and allocations per task against
    /// Hangfire.InMemory's and the bare-grain floor's (on a shared machine the CPU ratio is the steadier one: tasks/s follow the other processes' load).
    /// </summary>
    private static IEnumerable<Figure?> CardFloor(IReadOnlyList<Figure> figures, string scenario)
    {
        var card = Mode(figures, scenario, Throughput, CardFloorDrain.Mode);
        var floor = Mode(figures, scenario, Throughput, FloorDrain.Mode);
        return
        [
            Paired(scenario, ThroughputRatio, card, Mode(figures, scenario, Throughput, HangfirePeers.InMemoryMode), With(card, "vs", HangfirePeers.InMemoryMode)),
            Paired(scenario, ThroughputRatio, card, Mode(figures, scenario, Throughput, FloorDrain.Mode), With(card, "vs", FloorDrain.Mode)),
            Paired(scenario, ThroughputRatio, card, Mode(figures, scenario, Throughput, QuartzPeer.ModeName), With(card, "vs", QuartzPeer.ModeName)),
            Paired(scenario, ThroughputRatio, floor, Mode(figures, scenario, Throughput, QuartzPeer.ModeName), With(floor, "vs", QuartzPeer.ModeName)),
            .. CostRatios(figures, scenario, CardFloorDrain.Mode, FloorDrain.Mode),
            .. CostRatios(figures, scenario, CardFloorDrain.Mode, HangfirePeers.InMemoryMode),
        ];
    }

    /// <summary><paramref name="mode"/>'s CPU and allocations per task as ratios to <paramref name="other"/>'s.</summary>
    private static IEnumerable<Figure?> CostRatios(IReadOnlyList<Figure> figures, string scenario, string mode, string other)
    {
        foreach (var cost in new[] { "CPU per task", "allocated per task" })
        {
            var own = Mode(figures, scenario, cost, mode);
            yield return Paired(scenario, cost + " ratio", own, Mode(figures, scenario, cost, other), With(own, "vs", other));
        }
    }

    /// <summary>latency: OEE's sent->started p50 and p99 (sent->body where measured) at each rate against <paramref name="peerMode"/>'s at the same rate (lower is better).</summary>
    public static IEnumerable<Figure> Latency(IReadOnlyList<Figure> figures, string scenario, string peerMode)
    {
        var ratios = new List<Figure?>();
        foreach (var oee in figures.Where(f => f.Scenario == scenario && f.Name is StartP50 or StartP99 && IsOee(f)))
        {
            if (!oee.Parameters.TryGetValue("rate", out var rate))
            {
                continue;
            }

            foreach (var peer in figures.Where(f => f.Scenario == scenario && f.Name == oee.Name && Is(f, "mode", peerMode) && Is(f, "rate", rate)))
            {
                var parameters = With(oee, "vs", peerMode);
                if (peer.Parameters.TryGetValue("poll", out var poll))
                {
                    parameters["poll"] = poll;
                }

                // Where the body's own start was noted (in-process), that is what the peers' figure is.
                var body = figures.FirstOrDefault(f => f.Scenario == scenario && f.Name == BodyOf(oee.Name) && IsOee(f) && Is(f, "rate", rate) && Is(f, "mode", oee.Parameters.GetValueOrDefault("mode") ?? ""));
                if (body is not null)
                {
                    // The figure's name stays the one the bars look up; the parameter says what it is.
                    parameters["oee"] = "sent->body";
                }

                ratios.Add(Of(scenario, oee.Name + " ratio", body ?? oee, peer, parameters));
            }
        }

        return ratios.OfType<Figure>();
    }

    private static string BodyOf(string startName) => startName.Replace("sent->started", "sent->body", StringComparison.Ordinal);

    /// <summary>durable: each OEE drain against Hangfire.PostgreSql's, and the latencies against each of its poll intervals.</summary>
    public static IEnumerable<Figure> Durable(IReadOnlyList<Figure> figures, string scenario)
    {
        var peer = Mode(figures, scenario, Throughput, HangfirePeers.PostgresMode);
        var drains = OeeModes
            .Select(mode => Mode(figures, scenario, Throughput, mode))
            .Select(oee => Of(scenario, ThroughputRatio, oee, peer, With(oee, "vs", HangfirePeers.PostgresMode)))
            .OfType<Figure>();
        return [.. drains, .. Latency(figures, scenario, HangfirePeers.PostgresMode)];
    }

    private static Figure? Mode(IReadOnlyList<Figure> figures, string scenario, string name, string mode) =>
        FigureLookup.Find(figures, scenario, name, new Dictionary<string, string> { ["mode"] = mode });

    private static bool IsOee(Figure figure) => figure.Parameters.TryGetValue("mode", out var mode) && OeeModes.Contains(mode);

    private static bool Is(Figure figure, string key, string value) => figure.Parameters.TryGetValue(key, out var v) && v == value;

    private static Dictionary<string, string> With(Figure? figure, string key, string value) =>
        new(figure?.Parameters ?? new Dictionary<string, string>()) { [key] = value };
}
