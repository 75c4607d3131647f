using System.Globalization;
using Oee.Benchmarks.Cli;
using Oee.Benchmarks.Measurement;
using Oee.Benchmarks.Targets;

namespace Oee.Benchmarks.Scenarios;

/// <summary>
/// <c>purge</c>: does the retention sweep removing a million finished tasks stall submits? Each run
/// starts a fresh in-process silo (memory, or PostgreSQL with --durable) and goes through
/// <see cref="PurgeRun"/>: fill, reference latency, then latency while the sweep purges.
/// </summary>
internal sealed class PurgeScenario : IScenario
{
    public const int DefaultCount = 1_000_000;
    public const int DefaultRate = 200;

    public string Name => "purge";

    public string Summary => "1,000,000 done tasks (--count) purged by the retention sweep: submit p50 p99 max at 200/s before and during, purge time (--durable: on PostgreSQL)";

    /// <summary>
    /// The sweep runs every second; done tasks are kept a day until the run shortens that. The step
    /// size and the most a sweep removes keep their defaults (500, 100,000), as users run them.
    /// </summary>
    public static TargetSettings EngineSettings(TargetSettings settings) => settings
        .With("Oee:Retention:Enabled", "true")
        .With("Oee:Retention:SweepInterval", "00:00:01")
        .With("Oee:Retention:Done", "1.00:00:00");

    public async Task<IReadOnlyList<Figure>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var count = options.Count ?? DefaultCount;
        if (options.Target is { } kind && kind != TargetKind.InProc)
        {
            throw new BenchmarkFailedException("purge runs on an in-process silo only (it shortens retention on the running engine); drop --target.");
        }

        var settings = EngineSettings(TargetSettings.Of(TargetKind.InProc, options.Concurrency));
        if (options.Durable)
        {
            var postgres = await context.StartPostgresAsync(Name, cancellationToken);
            settings = settings.With(DurableScenario.ConnectionStringKey, postgres.ConnectionString);
        }

        var figures = new List<Figure>();
        foreach (var rate in options.Rates ?? [DefaultRate])
        {
            var series = await Repetition.RunAsync(
                context,
                $"{Name} {rate}/s",
                warmups: 0,
                options.Runs,
                async (label, ct) =>
                {
                    context.Say($"{Name} {label}: starting a fresh in-process silo ({(options.Durable ? "PostgreSQL" : "memory")})");
                    await using var target = (OrchestratorTarget)await context.Targets.StartAsync(settings, ct);
                    return await new PurgeRun(context, target, rate, count).RunAsync($"{rate}-{label}", ct);
                },
                cancellationToken);
            var parameters = new Dictionary<string, string>
            {
                ["mode"] = "inproc",
                ["count"] = count.ToString(CultureInfo.InvariantCulture),
                ["rate"] = rate.ToString(CultureInfo.InvariantCulture),
                ["storage"] = options.Durable ? "postgresql" : "memory",
            };
            figures.AddRange(series.ToFigures(Name, parameters, includeCold: false));
        }

        return figures;
    }
}
