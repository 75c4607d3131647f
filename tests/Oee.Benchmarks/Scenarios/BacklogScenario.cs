using System.Globalization;
using Oee.Benchmarks.Cli;
using Oee.Benchmarks.Measurement;
using Oee.Benchmarks.Targets;

namespace Oee.Benchmarks.Scenarios;

/// <summary>
/// <c>backlog</c>: a large backlog in one paused queue (default 1,000,000 tasks). Each run starts
/// a fresh target so that its memory figures are its own; the default target is a silo process
/// reached through an Orleans client, so the RSS is the silo's alone.
/// </summary>
internal sealed class BacklogScenario : IScenario
{
    public const int DefaultCount = 1_000_000;

    public string Name => "backlog";

    public string Summary => "1,000,000 tasks (--count) into one paused queue: enqueue rate per tenth, silo RSS held, drain rate after resume (--durable: on PostgreSQL)";

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
                await using var target = await context.Targets.StartAsync(settings, ct);
                return await new BacklogRun(context, target, count).RunAsync(label, ct);
            },
            cancellationToken);
        var parameters = new Dictionary<string, string>
        {
            ["mode"] = mode,
            ["count"] = count.ToString(CultureInfo.InvariantCulture),
            ["concurrency"] = options.Concurrency.ToString(CultureInfo.InvariantCulture),
            ["storage"] = options.Durable ? "postgresql" : "memory",
        };
        return [.. series.ToFigures(Name, parameters, includeCold: false)];
    }
}
