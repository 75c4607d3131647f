using System.Globalization;
using Oee.Benchmarks.Measurement;
using Oee.Benchmarks.Scenarios;

namespace Oee.Benchmarks.Peers;

/// <summary>Starts a peer, runs warm-ups and measured runs as for OEE's targets, stops it, returns its figures.</summary>
internal static class PeerMeasurement
{
    /// <summary>
    /// A drain of <paramref name="count"/> jobs per run, each run on a peer <paramref name="start"/> starts anew; figures
    /// under <paramref name="scenario"/> with <c>mode</c> = the peer's (<paramref name="mode"/>, for the progress log). A peer that fails is reported and leaves no figures (its ratios and bars
    /// then read n/a, and the benchmark ends non-zero: <see cref="BenchContext.Missing"/>) rather than discarding OEE's
    /// figures of the same invocation.
    /// </summary>
    public static Task<IEnumerable<Figure>> DrainAsync(
        BenchContext context, string scenario, string mode, Func<CancellationToken, Task<IPeer>> start, int count, CancellationToken cancellationToken) =>
        OrNothingAsync(context, scenario, () => MeasureDrainAsync(context, scenario, mode, start, count, cancellationToken), cancellationToken);

    /// <summary>Latency runs at each rate (<c>--seconds</c> of submits per run); a failing peer as for drains.</summary>
    public static Task<IEnumerable<Figure>> LatencyAsync(
        BenchContext context, string scenario, Func<CancellationToken, Task<IPeer>> start, IReadOnlyList<int> rates, CancellationToken cancellationToken) =>
        OrNothingAsync(context, scenario, () => MeasureLatencyAsync(context, scenario, start, rates, cancellationToken), cancellationToken);

    private static async Task<IEnumerable<Figure>> OrNothingAsync(
        BenchContext context, string scenario, Func<Task<IEnumerable<Figure>>> measure, CancellationToken cancellationToken)
    {
        try
        {
            return await measure();
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            context.LeaveOut(scenario, $"a peer failed and is left out of the figures ({ex.GetType().Name}: {ex.Message})");
            return [];
        }
    }

    private static async Task<IEnumerable<Figure>> MeasureDrainAsync(
        BenchContext context, string scenario, string mode, Func<CancellationToken, Task<IPeer>> start, int count, CancellationToken cancellationToken)
    {
        var options = context.Options;
        IPeer? described = null;
        var series = await Repetition.RunAsync(
            context,
            $"{scenario} {mode}",
            options.Warmups,
            options.Runs,
            async (_, ct) =>
            {
                // Every run on a peer of its own: its store holds no job of an earlier run, as OEE's holds no finished task
                // of one (DrainRun clears them, untimed). Hangfire.InMemory keeps succeeded jobs for hours: on one peer for
                // all runs, a measured run began with the warm-ups' 60,000 in its store, a load OEE's runs did not carry.
                await using var peer = await start(ct);
                if (described is null)
                {
                    described = peer;
                    context.Say($"{scenario} {peer.Mode}: {peer.Description}; {count} no-op jobs per run, each run on a fresh peer primed with {PrimingJobs(count)}");
                }

                // Untimed: its workers running and its code paths taken before the clock starts.
                await new PeerDrainRun(context, peer, PrimingJobs(count)).RunAsync(ct);
                return await new PeerDrainRun(context, peer, count).RunAsync(ct);
            },
            cancellationToken);
        var parameters = new Dictionary<string, string>(described!.Parameters)
        {
            ["mode"] = described.Mode,
            ["count"] = count.ToString(CultureInfo.InvariantCulture),
            ["concurrency"] = Math.Min(options.Concurrency, described.MaxSubmitters).ToString(CultureInfo.InvariantCulture),
        };
        return series.ToFigures(scenario, parameters, includeCold: false);
    }

    /// <summary>The jobs of a fresh peer's untimed first drain: a hundred, or the run's count when smaller.</summary>
    private static int PrimingJobs(int count) => Math.Min(count, 100);

    private static async Task<IEnumerable<Figure>> MeasureLatencyAsync(
        BenchContext context, string scenario, Func<CancellationToken, Task<IPeer>> start, IReadOnlyList<int> rates, CancellationToken cancellationToken)
    {
        var options = context.Options;
        await using var peer = await start(cancellationToken);
        var figures = new List<Figure>();
        foreach (var rate in rates)
        {
            var count = Math.Max(2, (int)Math.Round(rate * options.Seconds));
            context.Say($"{scenario} {peer.Mode}: {rate}/s for {options.Seconds:0.#} s ({count} jobs per run), {peer.Description}");
            var run = new PeerLatencyRun(peer, rate, count);
            var series = await Repetition.RunAsync(
                context, $"{scenario} {peer.Mode} {rate}/s", options.Warmups, options.Runs, (_, ct) => run.RunAsync(ct), cancellationToken);
            var parameters = new Dictionary<string, string>(peer.Parameters)
            {
                ["mode"] = peer.Mode,
                ["rate"] = rate.ToString(CultureInfo.InvariantCulture),
                ["count"] = count.ToString(CultureInfo.InvariantCulture),
            };
            figures.AddRange(series.ToFigures(scenario, parameters, includeCold: false));
        }

        return figures;
    }
}
