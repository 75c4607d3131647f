using System.Diagnostics;
using System.Globalization;
using Oee.Benchmarks.Cli;
using Oee.Benchmarks.Measurement;
using Oee.Benchmarks.Targets;
using Oee.Grains.Client;
using Oee.Grains.Contracts;
using Oee.Tests.Shared;

namespace Oee.Benchmarks.Scenarios;

/// <summary>
/// <c>pipeline</c>: 3-stage pipelines (each stage one call of an OpenAI-compatible model: the fake
/// server on 127.0.0.1 answering after a fixed latency, <c>--delay-ms</c>) submitted <c>--concurrency</c>
/// at a time, pipelines/s from the first submit until the last is done; in the same run and on the same
/// in-process silo, the plain drain of as many echo tasks as the pipelines made stage tasks. The
/// engine's overhead per stage: the pipeline's own time minus 3 × the server latency, over 3; and the
/// same measured per stage (a stage's time minus its model call's latency).
/// </summary>
internal sealed class PipelineScenario : IScenario
{
    public const int DefaultCount = 200;
    private const int Stages = 3;
    private const string ModelId = "bench-echo";
    private const int PipelineSlots = 50;

    private static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(120);

    public string Name => "pipeline";

    public string Summary => "3-stage pipelines against the loopback fake model server (latency --delay-ms): pipelines/s, engine overhead per stage, next to a plain echo drain (inproc)";

    public async Task<IReadOnlyList<Figure>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var count = options.Count ?? DefaultCount;
        var latency = TimeSpan.FromMilliseconds(options.DelayMs);
        await using var server = await FakeModelServer.StartAsync(latency);
        var settings = TargetSettings.Of(TargetKind.InProc, options.Concurrency)
            .With($"Oee:Models:{ModelId}:Kind", "openai")
            .With($"Oee:Models:{ModelId}:Endpoint", server.Endpoint)
            .With($"Oee:Models:{ModelId}:Model", "echo")
            .With($"Oee:Models:{ModelId}:Capabilities:0", "echo")
            .With($"Oee:Models:{ModelId}:Local", "true")
            .With($"Oee:Models:{ModelId}:MaxRetries", "0")
            .With($"Oee:Models:{ModelId}:MaxOutputTokens", "64");
        context.Say($"{Name}: starting the target; fake model server at {server.Endpoint}, latency {options.DelayMs} ms");
        await using var started = await context.Targets.StartAsync(settings, cancellationToken);
        var target = (OrchestratorTarget)started;
        context.Say($"{Name}: {target.Description}; {count} pipelines of {Stages} stages per run, {options.Concurrency} in flight");
        var series = await Repetition.RunAsync(
            context,
            Name,
            options.Warmups,
            options.Runs,
            (run, ct) => RunOnceAsync(context, target, count, latency, $"{Name}-{run}", ct),
            cancellationToken);
        return [.. series.ToFigures(Name, new Dictionary<string, string>
        {
            ["mode"] = "inproc",
            ["pipelines"] = count.ToString(CultureInfo.InvariantCulture),
            ["stages"] = Stages.ToString(CultureInfo.InvariantCulture),
            ["serverLatencyMs"] = options.DelayMs.ToString(CultureInfo.InvariantCulture),
            ["concurrency"] = options.Concurrency.ToString(CultureInfo.InvariantCulture),
        }, includeCold: true)];
    }

    private static async Task<IReadOnlyList<Measure>> RunOnceAsync(
        BenchContext context, OrchestratorTarget target, int count, TimeSpan latency, string label, CancellationToken cancellationToken)
    {
        var orchestrator = target.Orchestrator;
        var options = context.Options;

        // The reference: as many plain echo tasks as the pipelines make stage tasks.
        var plainQueue = context.QueueName($"{label}-plain");
        await target.ConfigureQueueAsync(plainQueue, options.MaxConcurrency, paused: false, cancellationToken);
        var plainStart = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(Enumerable.Range(0, count * Stages), new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken }, async (_, ct) =>
            await target.SubmitAsync(plainQueue, "echo", "{}", ct));
        var plain = await Load.CompletionWaiter.WaitForFinishedAsync(target, plainQueue, count * Stages, plainStart, StallTimeout, cancellationToken);

        var pipelineQueue = context.QueueName($"{label}-pipelines");
        var stageQueue = context.QueueName($"{label}-stages");
        // Each running pipeline body holds a worker slot while it waits for its stages: at most half the
        // silo's slots (100 by default) run pipeline bodies, the others run stage tasks (README, "Pipelines").
        await target.ConfigureQueueAsync(pipelineQueue, Math.Min(options.MaxConcurrency, PipelineSlots), paused: false, cancellationToken);
        await target.ConfigureQueueAsync(stageQueue, options.MaxConcurrency, paused: false, cancellationToken);
        var results = new PipelineResult[count];
        var start = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken }, async (i, ct) =>
            results[i] = await RunPipeline(orchestrator, pipelineQueue, stageQueue, i, ct));
        var elapsed = Stopwatch.GetElapsedTime(start);
        await FinishedTasks.ClearAsync(context, target, cancellationToken);

        var serverMs = latency.TotalMilliseconds;
        var pipelineMs = results.Average(r => r.TotalLatency.TotalMilliseconds);
        var stageOverheadMs = results.SelectMany(r => r.Stages).Average(s => (s.Latency - s.Calls[0].Latency).TotalMilliseconds);
        var callMs = results.SelectMany(r => r.Stages).Average(s => s.Calls[0].Latency.TotalMilliseconds);
        return
        [
            new Measure("pipeline throughput", count / elapsed.TotalSeconds, "pipelines/s"),
            new Measure("plain drain throughput", count * Stages / plain.TotalSeconds, "tasks/s"),
            new Measure("stage tasks/s in pipelines / plain tasks/s", count * Stages / elapsed.TotalSeconds / (count * Stages / plain.TotalSeconds), "ratio"),
            new Measure("engine overhead per stage ((pipeline time - 3 x server latency) / 3)", (pipelineMs - Stages * serverMs) / Stages, "ms"),
            new Measure("engine overhead per stage (stage time - model call latency)", stageOverheadMs, "ms"),
            new Measure("model call latency (server latency + HTTP)", callMs, "ms"),
            new Measure("pipeline time (body start -> end)", pipelineMs, "ms"),
        ];
    }

    private static async Task<PipelineResult> RunPipeline(IOrchestrator orchestrator, string queue, string stageQueue, int i, CancellationToken cancellationToken)
    {
        var submitted = await orchestrator.SubmitPipelineAsync(
            new PipelineRequest
            {
                Name = "bench-pipeline",
                Queue = queue,
                Spec = new PipelineSpec
                {
                    Input = $"pipeline {i}: the quick brown fox jumps over the lazy dog",
                    Strategy = PipelineStrategy.LocalFastPrecise,
                    StageQueue = stageQueue,
                    Stages = [.. Enumerable.Range(1, Stages).Select(s => new PipelineStage { Name = $"s{s}", ModelId = ModelId })],
                },
            },
            cancellationToken);
        var done = await orchestrator.WaitAsync(submitted.Task.Id, cancellationToken);
        var pipeline = await orchestrator.GetPipelineResultAsync(done.Id, cancellationToken);
        return done.Status == OeeTaskStatus.Done && pipeline.Result is { Completed: true } result
            ? result
            : throw new BenchmarkFailedException($"Pipeline {done.Id} ended {done.Status.ToWireName()}: {done.Error?.Message}");
    }
}
