using System.Globalization;
using Oee.Benchmarks.Cli;
using Oee.Benchmarks.Measurement;
using Oee.Benchmarks.Targets;
using Oee.Tests.Shared;

namespace Oee.Benchmarks.Scenarios;

/// <summary>
/// <c>backlog</c>: a large backlog in one paused queue (default 1,000,000 tasks). Each run starts
/// a fresh target so that its memory figures are its own; the default target is a silo process
/// reached through an Orleans client, so the RSS is the silo's alone.
/// </summary>
internal sealed class BacklogScenario : IScenario
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public const int DefaultCount = 1_000_000;

    public string Name => "backlog";

    public string Summary => "1,000,000 tasks (--count) into one paused queue (--queues N: N queues, resumed together): enqueue rate per tenth, silo RSS held, drain rate after resume, the silo's GC while draining (--durable: on PostgreSQL)";

    public async Task<IReadOnlyList<Figure>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var count = options.Count ?? DefaultCount;
        var kind = options.Target ?? TargetKind.Client;
        var mode = TargetNames.Of(kind);
        var settings = TargetSettings.Of(kind, options.Concurrency);
        if (options.Durable)
        {
            var postgres = await context.StartPostgresAsync(Name, cancellationToken);
            settings = settings.With(DurableScenario.ConnectionStringKey, postgres.ConnectionString);
        }

        var series = await Repetition.RunAsync(
            context,
            $"{Name} {mode}",
            warmups: 0,
            options.Runs,
            async (label, ct) =>
            {
                context.Say($"{Name} {label}: starting a fresh target ({mode})");
                var (runSettings, gc) = WithGcReader(kind, settings);
                await using var target = await context.Targets.StartAsync(runSettings, ct);
                return await new BacklogRun(context, target, count, gc).RunAsync(label, ct);
            },
            cancellationToken);
        var parameters = new Dictionary<string, string>
        {
            ["mode"] = mode,
            ["count"] = count.ToString(CultureInfo.InvariantCulture),
            ["concurrency"] = options.Concurrency.ToString(CultureInfo.InvariantCulture),
            ["queues"] = options.Queues.ToString(CultureInfo.InvariantCulture),
            ["storage"] = options.Durable ? "postgresql" : "memory",
        };
        return [.. series.ToFigures(Name, parameters, includeCold: false)];
    }

    /// <summary>
    /// Where the run reads the silo's GC totals: this process's runtime for the in-process silo; for one silo
    /// process, its <c>/metrics</c> on a port of its own (<c>Oee:Silo:HttpPort</c>); none for other targets.
    /// </summary>
    private static (TargetSettings Settings, Func<CancellationToken, Task<GcSample>>? Gc) WithGcReader(TargetKind kind, TargetSettings settings)
    {
        switch (kind)
        {
            case TargetKind.InProc:
                return (settings, _ => Task.FromResult(GcSample.OfThisProcess()));
            case TargetKind.Client when settings.Silos == 1:
                var port = LoopbackPorts.Next();
                var metrics = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/metrics");
                return (settings.With("Oee:Silo:HttpPort", port.ToString(CultureInfo.InvariantCulture)), ct => GcSample.ScrapeAsync(Http, metrics, ct));
            default:
                return (settings, null);
        }
    }
}
