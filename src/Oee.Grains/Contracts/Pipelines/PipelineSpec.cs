namespace Oee.Grains.Contracts;

/// <summary>
/// What a pipeline runs: the input of the <c>pipeline</c> task handler (as JSON, camelCase). A
/// <see cref="PipelineRequest"/> adds the task's own fields (id, name, queue, priority, tags).
/// </summary>
[GenerateSerializer, Immutable, Alias("oee.pipeline-spec")]
public sealed record PipelineSpec
{
    /// <summary>The pipeline's input text (<c>{{input}}</c> in stage templates).</summary>
    [Id(0)] public string Input { get; init; } = "";

    /// <summary>The stages, run in order (1–<see cref="PipelineLimits.MaxStages"/>).</summary>
    [Id(1)] public PipelineStage[] Stages { get; init; } = [];

    /// <summary>How each stage's model is chosen.</summary>
    [Id(2)] public PipelineStrategy Strategy { get; init; }

    /// <summary>
    /// The longest the pipeline may run (from its body's start): then its running stage tasks are
    /// cancelled and it ends error (type <c>Timeout</c>) with the stages done so far in its result. Null: no limit.
    /// </summary>
    [Id(3)] public TimeSpan? MaxTime { get; init; }

    /// <summary>The most the pipeline may spend; a call whose worst-case cost would pass what is left is not started. Null: no limit.</summary>
    [Id(4)] public decimal? MaxCost { get; init; }

    /// <summary>The queue of the stage tasks; <c>Oee:Pipelines:StageQueue</c> when omitted. Never the pipeline's own queue.</summary>
    [Id(5)] public string? StageQueue { get; init; }

    /// <summary>PARALLEL_ENSEMBLE: how many models run each stage (2–8); <c>Oee:Pipelines:EnsembleSize</c> (3) when omitted.</summary>
    [Id(6)] public int? EnsembleSize { get; init; }

    /// <summary>How long one model call (stage task) may run before it counts as failed (and the next model is tried); <c>Oee:Pipelines:StageTimeout</c> when omitted.</summary>
    [Id(7)] public TimeSpan? StageTimeout { get; init; }
}
