using System.Text.Json.Serialization;

namespace Oee.Grains.Contracts;

/// <summary>How a pipeline picks the model of each stage (the exact rules are in the README, "Pipelines").</summary>
[GenerateSerializer, Alias("oee.pipeline-strategy")]
[JsonConverter(typeof(JsonStringEnumConverter<PipelineStrategy>))]
public enum PipelineStrategy
{
    /// <summary>Local models first, fastest expected latency first; the next one only when a call fails or times out.</summary>
    [JsonStringEnumMemberName("LOCAL_FAST_PRECISE")] LocalFastPrecise = 0,

    /// <summary>Each stage on several capable models at once; majority on equal outputs, else the highest-quality success.</summary>
    [JsonStringEnumMemberName("PARALLEL_ENSEMBLE")] ParallelEnsemble = 1,

    /// <summary>Each output checked before the next stage; a failed check retries on the next-best model.</summary>
    [JsonStringEnumMemberName("SEQUENTIAL_VALIDATION")] SequentialValidation = 2,

    /// <summary>The cheapest capable model per stage, the estimated total within maxCost; refused at submit when none fits.</summary>
    [JsonStringEnumMemberName("COST_OPTIMIZED")] CostOptimized = 3,

    /// <summary>The highest-quality capable model per stage whose estimated cost still lets the pipeline fit maxCost.</summary>
    [JsonStringEnumMemberName("QUALITY_FIRST")] QualityFirst = 4,
}

/// <summary>What a stage's output is checked against.</summary>
[GenerateSerializer, Alias("oee.pipeline-check-kind")]
[JsonConverter(typeof(JsonStringEnumConverter<PipelineCheckKind>))]
public enum PipelineCheckKind
{
    /// <summary>The output has a character other than white space.</summary>
    [JsonStringEnumMemberName("nonEmpty")] NonEmpty = 0,

    /// <summary>The output matches <see cref="PipelineCheck.Pattern"/> (.NET regular expression, 1 s match timeout).</summary>
    [JsonStringEnumMemberName("regex")] Regex = 1,

    /// <summary>The output is one valid JSON value.</summary>
    [JsonStringEnumMemberName("json")] Json = 2,

    /// <summary>A validator model (<see cref="PipelineCheck.Model"/>) is asked whether the output is acceptable; it passes when its answer starts with "yes".</summary>
    [JsonStringEnumMemberName("model")] Model = 3,
}
