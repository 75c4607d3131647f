using System.Globalization;
using Oee.Benchmarks.Cli;
using Oee.Benchmarks.Measurement;
using Oee.Benchmarks.Targets;

namespace Oee.Benchmarks.Scenarios;

/// <summary>
/// <c>fanout</c>: dependency graphs of one root and 999 dependents (1,000 tasks, the most one batch
/// holds), each submitted in one batch call, timed from the first submit until the last task is
/// done; in the same run and on the same target, the plain drain of as many echo tasks in batches of
/// 1,000 without dependencies, so that the figure to read is the ratio. <c>--durable</c>: on PostgreSQL.
/// </summary>
internal sealed class FanOutScenario : IScenario
{
    public const int GraphSize = 1000;
    public const int DefaultCount = 10_000;

    private static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(60);

    public string Name => "fanout";

    public string Summary => "graphs of 1 root + 999 dependents, one batch each: tasks/s next to a plain batch drain of as many tasks (modes as drain; default inproc; --durable: on PostgreSQL)";

    public async Task<IReadOnlyList<Figure>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var graphs = Math.Max(1, (options.Count ?? DefaultCount) / GraphSize);
        var connectionString = options.Durable ? (await context.StartPostgresAsync(Name, cancellationToken)).ConnectionString : null;
        var figures = new List<Figure>();
        foreach (var mode in options.Modes ?? [TargetKind.InProc])
        {
            var settings = TargetSettings.Of(mode, options.Concurrency);
            if (connectionString is not null)
            {
                settings = settings.With(DurableScenario.ConnectionStringKey, connectionString);
            }

            var name = TargetNames.Of(mode);
            context.Say($"{Name} {name}: starting the target");
            await using var target = await context.Targets.StartAsync(settings, cancellationToken);
            context.Say($"{Name} {name}: {target.Description}; {graphs} graph(s) of {GraphSize} tasks per run");
            var series = await Repetition.RunAsync(
                context,
                $"{Name} {name}",
                options.Warmups,
                options.Runs,
                (run, ct) => RunOnceAsync(context, target, graphs, $"{Name}-{name}-{run}", ct),
                cancellationToken);
            figures.AddRange(series.ToFigures(Name, new Dictionary<string, string>
            {
                ["mode"] = name,
                ["graphs"] = graphs.ToString(CultureInfo.InvariantCulture),
                ["graphSize"] = GraphSize.ToString(CultureInfo.InvariantCulture),
                ["storage"] = options.Durable ? "postgresql" : "memory",
            }, includeCold: true));
        }

        return figures;
    }

    private static async Task<IReadOnlyList<Measure>> RunOnceAsync(BenchContext context, IBenchTarget target, int graphs, string label, CancellationToken cancellationToken)
    {
        var count = graphs * GraphSize;
        var plain = await TimeAsync(context, target, context.QueueName($"{label}-plain"), count,
            queue => target.SubmitBatchAsync(queue, BenchTask.Echo, BenchTask.EmptyInput, GraphSize, cancellationToken), graphs, cancellationToken);
        var fanOut = await TimeAsync(context, target, context.QueueName($"{label}-graph"), count,
            queue => target.SubmitFanOutAsync(queue, BenchTask.Echo, BenchTask.EmptyInput, GraphSize - 1, cancellationToken), graphs, cancellationToken);
        await FinishedTasks.ClearAsync(context, target, cancellationToken);

        return
        [
            new Measure("fan-out throughput", count / fanOut.Drained.TotalSeconds, "tasks/s"),
            new Measure("plain batch drain throughput", count / plain.Drained.TotalSeconds, "tasks/s"),
            new Measure("fan-out / plain", plain.Drained / fanOut.Drained, "ratio"),
            new Measure("fan-out batch submit", fanOut.Submitted.TotalMilliseconds / graphs, "ms per graph"),
            new Measure("plain batch submit", plain.Submitted.TotalMilliseconds / graphs, "ms per batch"),
        ];
    }

    /// <summary>Makes <paramref name="calls"/> batch calls, at most four at once (the <c>calls --fanout</c> diagnostic submits its graphs so too).</summary>
    public static Task SubmitEachAsync(int calls, Func<Task> submitOne, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(Enumerable.Range(0, calls), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (_, _) => await submitOne());

    /// <summary>Submits <paramref name="graphs"/> batches, at most four at once, and waits until the queue has finished them all.</summary>
    private static async Task<(TimeSpan Submitted, TimeSpan Drained)> TimeAsync(
        BenchContext context, IBenchTarget target, string queue, int count, Func<string, Task> submitOne, int graphs, CancellationToken cancellationToken)
    {
        await target.ConfigureQueueAsync(queue, context.Options.MaxConcurrency, paused: false, cancellationToken);
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        await SubmitEachAsync(graphs, () => submitOne(queue), cancellationToken);
        var submitted = System.Diagnostics.Stopwatch.GetElapsedTime(start);
        var drained = await Load.CompletionWaiter.WaitForFinishedAsync(target, queue, count, start, StallTimeout, cancellationToken);
        return (submitted, drained);
    }
}
