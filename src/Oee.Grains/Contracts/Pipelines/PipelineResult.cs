using System.Text.Json.Serialization;

namespace Oee.Grains.Contracts;

/// <summary>What a stage's model call was for.</summary>
[GenerateSerializer, Alias("oee.pipeline-call-role")]
[JsonConverter(typeof(JsonStringEnumConverter<PipelineCallRole>))]
public enum PipelineCallRole
{
    /// <summary>A try of the stage (the first model, or a fallback after a failure or failed check).</summary>
    [JsonStringEnumMemberName("try")] Try = 0,

    /// <summary>One member of a PARALLEL_ENSEMBLE stage.</summary>
    [JsonStringEnumMemberName("ensembleMember")] EnsembleMember = 1,

    /// <summary>A validator model's check of a try's output.</summary>
    [JsonStringEnumMemberName("validator")] Validator = 2,
}

/// <summary>One model call of a stage (a child task of the pipeline with handler <c>model</c>).</summary>
[GenerateSerializer, Immutable, Alias("oee.pipeline-call")]
public sealed record PipelineCall
{
    /// <summary>The stage task's id (its parent is the pipeline task).</summary>
    [Id(0)] public string TaskId { get; init; } = "";

    /// <summary>The model called.</summary>
    [Id(1)] public string Model { get; init; } = "";

    /// <summary>What the call was for.</summary>
    [Id(2)] public PipelineCallRole Role { get; init; }

    /// <summary>The stage task's final status (<c>done</c>, <c>error</c>, <c>cancelled</c>).</summary>
    [Id(3)] public string Status { get; init; } = "";

    /// <summary>The model's output, when it answered.</summary>
    [Id(4)] public string? Output { get; init; }

    /// <summary>Why the call (or its check) failed, or null.</summary>
    [Id(5)] public string? Error { get; init; }

    /// <summary>True when the output passed the stage's check (null: no check ran).</summary>
    [Id(6)] public bool? CheckPassed { get; init; }

    /// <summary>The model call's latency (engine clock).</summary>
    [Id(7)] public TimeSpan Latency { get; init; }

    /// <summary>Input tokens used.</summary>
    [Id(8)] public int InputTokens { get; init; }

    /// <summary>Output tokens used.</summary>
    [Id(9)] public int OutputTokens { get; init; }

    /// <summary>What the call cost (0 for a call that produced no answer).</summary>
    [Id(10)] public decimal Cost { get; init; }
}

/// <summary>One finished stage: its chosen output and every call made for it.</summary>
[GenerateSerializer, Immutable, Alias("oee.pipeline-stage-result")]
public sealed record PipelineStageResult
{
    /// <summary>The stage's name.</summary>
    [Id(0)] public string Name { get; init; } = "";

    /// <summary>The model whose output was taken.</summary>
    [Id(1)] public string Model { get; init; } = "";

    /// <summary>The stage's output (what later stages see as <c>{{stages.NAME.output}}</c>).</summary>
    [Id(2)] public string Output { get; init; } = "";

    /// <summary>From the stage's first call to its end (engine clock).</summary>
    [Id(3)] public TimeSpan Latency { get; init; }

    /// <summary>Input tokens of every call of the stage.</summary>
    [Id(4)] public int InputTokens { get; init; }

    /// <summary>Output tokens of every call of the stage.</summary>
    [Id(5)] public int OutputTokens { get; init; }

    /// <summary>The cost of every call of the stage (failed tries, ensemble members and validators included).</summary>
    [Id(6)] public decimal Cost { get; init; }

    /// <summary>Every call made for the stage, in the order started (for an ensemble: every member's output).</summary>
    [Id(7)] public PipelineCall[] Calls { get; init; } = [];
}

/// <summary>
/// The result of a pipeline task (its task result as JSON): every finished stage and the totals. A
/// pipeline that ended error (maxTime, budget, a stage that failed everywhere) carries the stages done so far.
/// </summary>
[GenerateSerializer, Immutable, Alias("oee.pipeline-result")]
public sealed record PipelineResult
{
    /// <summary>The strategy used.</summary>
    [Id(0)] public PipelineStrategy Strategy { get; init; }

    /// <summary>The finished stages, in order.</summary>
    [Id(1)] public PipelineStageResult[] Stages { get; init; } = [];

    /// <summary>The last stage's output, or null when not every stage finished.</summary>
    [Id(2)] public string? Output { get; init; }

    /// <summary>True when every stage finished.</summary>
    [Id(3)] public bool Completed { get; init; }

    /// <summary>The cost of every call (never more than maxCost).</summary>
    [Id(4)] public decimal TotalCost { get; init; }

    /// <summary>Input tokens of every call.</summary>
    [Id(5)] public int TotalInputTokens { get; init; }

    /// <summary>Output tokens of every call.</summary>
    [Id(6)] public int TotalOutputTokens { get; init; }

    /// <summary>From the body's start to its end (engine clock).</summary>
    [Id(7)] public TimeSpan TotalLatency { get; init; }

    /// <summary>The number of model calls (stage tasks) made.</summary>
    [Id(8)] public int Calls { get; init; }

    /// <summary>When the pipeline failed: the stage it failed in, or null.</summary>
    [Id(9)] public string? FailedStage { get; init; }
}

/// <summary>A pipeline task and its typed result (null while it runs, or when it failed before any stage).</summary>
/// <param name="Task">The pipeline task.</param>
/// <param name="Result">Its result.</param>
[GenerateSerializer, Alias("oee.pipeline-task")]
public sealed record PipelineTask([property: Id(0)] TaskRecord Task, [property: Id(1)] PipelineResult? Result);
