using System.Globalization;
using Oee.Benchmarks.Cli;
using Oee.Benchmarks.Measurement;
using Oee.Benchmarks.Targets;

namespace Oee.Benchmarks.Scenarios;

/// <summary>
/// <c>keyed</c>: the plain drain and, on the same target in the same run, a drain of the same number
/// of echo tasks spread over <see cref="Tenants"/> concurrency keys with <see cref="MaxPerKey"/> running
/// per key (together as many as one silo's default worker slots): what the per-key bookkeeping costs.
/// </summary>
internal sealed class KeyedDrainScenario : IScenario
{
    public const int DefaultCount = 20_000;
    public const int Tenants = 10;
    public const int MaxPerKey = 10;

    public string Name => "keyed";

    public string Summary => $"drain next to a per-key limited drain ({Tenants} tenants, maxPerKey {MaxPerKey}) on the same target (modes; default inproc)";

    public async Task<IReadOnlyList<Figure>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var count = options.Count ?? DefaultCount;
        var figures = new List<Figure>();
        foreach (var mode in options.Modes ?? [TargetKind.InProc])
        {
            var name = TargetNames.Of(mode);
            context.Say($"{Name} {name}: starting the target");
            await using var target = await context.Targets.StartAsync(TargetSettings.Of(mode, options.Concurrency), cancellationToken);
            context.Say($"{Name} {name}: {target.Description}; {count} echo tasks per run, {options.Concurrency} submits in flight");

            // Warm-ups of both first, then the measured runs alternate (plain, per-key, plain, ...), so
            // that neither kind gets the warmer process or the quieter minute.
            var plain = new DrainRun(context, target, BenchTask.Echo, BenchTask.EmptyInput, count);
            var keyed = new KeyedDrainRun(context, target, count, Tenants, MaxPerKey);
            var plainSeries = new RunSeries();
            var keyedSeries = new RunSeries();
            for (var i = 1; i <= options.Warmups; i++)
            {
                await plain.RunAsync(context.QueueName($"{Name}-plain-{name}-w{i}"), cancellationToken);
                await keyed.RunAsync(context.QueueName($"{Name}-keyed-{name}-w{i}"), cancellationToken);
                context.Say($"{Name} {name}: warm-up {i}/{options.Warmups} done");
            }

            for (var i = 1; i <= options.Runs; i++)
            {
                var plainMeasures = await plain.RunAsync(context.QueueName($"{Name}-plain-{name}-r{i}"), cancellationToken);
                plainSeries.AddMeasured(plainMeasures);
                var keyedMeasures = await keyed.RunAsync(context.QueueName($"{Name}-keyed-{name}-r{i}"), cancellationToken);
                keyedSeries.AddMeasured(keyedMeasures);
                context.Say($"{Name} {name}: run {i}/{options.Runs}: plain {plainMeasures[0].Value:0} tasks/s, per-key {keyedMeasures[0].Value:0} tasks/s");
            }

            var parameters = new Dictionary<string, string>
            {
                ["mode"] = name,
                ["count"] = count.ToString(CultureInfo.InvariantCulture),
                ["concurrency"] = options.Concurrency.ToString(CultureInfo.InvariantCulture),
            };
            figures.AddRange(plainSeries.ToFigures($"{Name} plain", parameters, includeCold: false));
            figures.AddRange(keyedSeries.ToFigures($"{Name} per-key", new Dictionary<string, string>(parameters)
            {
                ["tenants"] = Tenants.ToString(CultureInfo.InvariantCulture),
                ["maxPerKey"] = MaxPerKey.ToString(CultureInfo.InvariantCulture),
            }, includeCold: false));
        }

        return figures;
    }
}
