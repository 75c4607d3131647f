using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Oee.Api.Models.Validation;
using Oee.Grains.Contracts;

namespace Oee.Api.Models;

// As for tasks: the attributes describe the contract; the orchestrator's pipeline rules check it
// (one set of rules and messages, fields named as here: stages[1].modelId).

/// <summary>How a pipeline picks each stage's model (README, "Pipelines", has the exact rules).</summary>
[JsonConverter(typeof(WireEnumConverter<PipelineStrategyName>))]
public enum PipelineStrategyName
{
    /// <summary>Local models first, fastest expected latency first; the next only on failure or timeout.</summary>
    [JsonStringEnumMemberName("LOCAL_FAST_PRECISE")] LocalFastPrecise = PipelineStrategy.LocalFastPrecise,

    /// <summary>Several capable models at once; majority on equal outputs, else the highest-quality success.</summary>
    [JsonStringEnumMemberName("PARALLEL_ENSEMBLE")] ParallelEnsemble = PipelineStrategy.ParallelEnsemble,

    /// <summary>Each output checked before the next stage; a failed check retries on the next-best model.</summary>
    [JsonStringEnumMemberName("SEQUENTIAL_VALIDATION")] SequentialValidation = PipelineStrategy.SequentialValidation,

    /// <summary>The cheapest capable model per stage within maxCost; refused (400 naming the stage) when no plan fits.</summary>
    [JsonStringEnumMemberName("COST_OPTIMIZED")] CostOptimized = PipelineStrategy.CostOptimized,

    /// <summary>The highest-quality capable model per stage within maxCost.</summary>
    [JsonStringEnumMemberName("QUALITY_FIRST")] QualityFirst = PipelineStrategy.QualityFirst,
}

/// <summary>What a stage's output is checked against.</summary>
[JsonConverter(typeof(WireEnumConverter<PipelineCheckName>))]
public enum PipelineCheckName
{
    /// <summary>Not only white space.</summary>
    [JsonStringEnumMemberName("nonEmpty")] NonEmpty = PipelineCheckKind.NonEmpty,

    /// <summary>Matches pattern (.NET regex).</summary>
    [JsonStringEnumMemberName("regex")] Regex = PipelineCheckKind.Regex,

    /// <summary>One valid JSON value.</summary>
    [JsonStringEnumMemberName("json")] Json = PipelineCheckKind.Json,

    /// <summary>A validator model answers YES.</summary>
    [JsonStringEnumMemberName("model")] Model = PipelineCheckKind.Model,
}

/// <summary>A check of a stage's output; a failed check counts as a failed call (the next model is tried).</summary>
/// <param name="Kind">What is checked.</param>
/// <param name="Pattern">For regex: the pattern.</param>
/// <param name="Model">For model: the validator model's id.</param>
// Kind is required: a check without it is refused (400), not read as the enum's first member (nonEmpty).
public sealed record PipelineCheckBody([property: JsonRequired] PipelineCheckName Kind, string? Pattern, string? Model);

/// <summary>One stage of a pipeline.</summary>
public sealed record PipelineStageBody
{
    /// <summary>The stage's name, unique in the pipeline (1–64 characters of [A-Za-z0-9_-]); later stages refer to its output as {{stages.NAME.output}}.</summary>
    [Required]
    public string? Name { get; init; }

    /// <summary>A catalog model id: the stage runs on it only. Give this or capability.</summary>
    public string? ModelId { get; init; }

    /// <summary>A capability (e.g. summarize): the strategy picks among the models serving it.</summary>
    public string? Capability { get; init; }

    /// <summary>The prompt template with {{input}} and {{stages.NAME.output}}; omitted: {{input}} for the first stage, the previous stage's output after.</summary>
    public string? Input { get; init; }

    /// <summary>Optional system instructions.</summary>
    public string? Instructions { get; init; }

    /// <summary>A check of the output (SEQUENTIAL_VALIDATION: nonEmpty when omitted).</summary>
    public PipelineCheckBody? Check { get; init; }

    /// <summary>Fewer output tokens than the model's own limit.</summary>
    [Range(1, int.MaxValue)]
    public int? MaxOutputTokens { get; init; }
}

/// <summary>The body of <c>POST /api/pipelines</c>.</summary>
public sealed record SubmitPipelineBody
{
    /// <summary>Optional client-chosen id of the pipeline task.</summary>
    [Identifier]
    public string? Id { get; init; }

    /// <summary>A human-readable name.</summary>
    [Required]
    [StringLength(TaskLimits.MaxNameLength, MinimumLength = 1)]
    public string? Name { get; init; }

    /// <summary>The queue of the pipeline task (not its stage queue).</summary>
    [Identifier]
    [DefaultValue(TaskLimits.DefaultQueue)]
    public string? Queue { get; init; }

    /// <summary>Higher runs first; the stage tasks get the same priority.</summary>
    [Range(TaskLimits.MinPriority, TaskLimits.MaxPriority)]
    [DefaultValue(TaskLimits.DefaultPriority)]
    public int? Priority { get; init; }

    /// <summary>Labels of the pipeline task.</summary>
    [MaxLength(TaskLimits.MaxTags)]
    [ItemPattern(TaskLimits.MaxTagLength)]
    public string[]? Tags { get; init; }

    /// <summary>The pipeline's input text ({{input}}).</summary>
    [Required]
    public string? Input { get; init; }

    /// <summary>How each stage's model is chosen.</summary>
    [Required]
    public PipelineStrategyName? Strategy { get; init; }

    /// <summary>1–32 stages, run in order.</summary>
    [Required]
    [MinLength(1)]
    [MaxLength(PipelineLimits.MaxStages)]
    public PipelineStageBody?[]? Stages { get; init; }

    /// <summary>The longest the pipeline may run (ISO 8601 or [d.]hh:mm:ss): then its running stage tasks are cancelled and it ends error (Timeout) with the stages done so far.</summary>
    [Duration]
    public string? MaxTime { get; init; }

    /// <summary>The most it may spend: a call whose worst-case cost would pass what is left is not started.</summary>
    [Range(0, double.MaxValue)]
    public decimal? MaxCost { get; init; }

    /// <summary>The queue of the stage tasks (default Oee:Pipelines:StageQueue, "pipeline-stages"); never the pipeline's own queue.</summary>
    [Identifier]
    public string? StageQueue { get; init; }

    /// <summary>PARALLEL_ENSEMBLE: models per stage, 2–8 (default 3).</summary>
    [Range(PipelineLimits.MinEnsembleSize, PipelineLimits.MaxEnsembleSize)]
    public int? EnsembleSize { get; init; }

    /// <summary>How long one model call may run before it counts as failed (ISO 8601 or [d.]hh:mm:ss; default 2 minutes).</summary>
    [Duration]
    public string? StageTimeout { get; init; }
}

/// <summary>One model call of a stage (a child task of the pipeline).</summary>
/// <param name="TaskId">The stage task's id.</param>
/// <param name="Model">The model called.</param>
/// <param name="Role">try, ensembleMember or validator.</param>
/// <param name="Status">The stage task's final status, or refused (not accepted).</param>
/// <param name="Output">The model's output, when it answered.</param>
/// <param name="Error">Why the call or its check failed.</param>
/// <param name="CheckPassed">Whether the output passed the stage's check (null: no check).</param>
/// <param name="Latency">The call's latency (ISO 8601).</param>
/// <param name="InputTokens">Input tokens.</param>
/// <param name="OutputTokens">Output tokens.</param>
/// <param name="Cost">Its cost.</param>
public sealed record PipelineCallResponse(
    string TaskId, string Model, string Role, string Status, string? Output, string? Error, bool? CheckPassed,
    string Latency, int InputTokens, int OutputTokens, decimal Cost);

/// <summary>One finished stage.</summary>
/// <param name="Name">The stage.</param>
/// <param name="Model">The model whose output was taken.</param>
/// <param name="Output">The stage's output.</param>
/// <param name="Latency">The stage's duration (ISO 8601).</param>
/// <param name="InputTokens">Input tokens of all its calls.</param>
/// <param name="OutputTokens">Output tokens of all its calls.</param>
/// <param name="Cost">The cost of all its calls.</param>
/// <param name="Calls">Every call, in order (an ensemble: every member's output).</param>
public sealed record PipelineStageResponse(
    string Name, string Model, string Output, string Latency, int InputTokens, int OutputTokens, decimal Cost, IReadOnlyList<PipelineCallResponse> Calls);

/// <summary>A pipeline's result: every finished stage and the totals.</summary>
/// <param name="Strategy">The strategy.</param>
/// <param name="Stages">The finished stages, in order.</param>
/// <param name="Output">The last stage's output; null unless completed.</param>
/// <param name="Completed">True when every stage finished.</param>
/// <param name="TotalCost">The cost of every call (at most maxCost).</param>
/// <param name="TotalInputTokens">Input tokens of every call.</param>
/// <param name="TotalOutputTokens">Output tokens of every call.</param>
/// <param name="TotalLatency">The body's duration (ISO 8601).</param>
/// <param name="Calls">How many model calls were made.</param>
/// <param name="FailedStage">The stage it failed in, or null.</param>
public sealed record PipelineResultResponse(
    PipelineStrategyName Strategy, IReadOnlyList<PipelineStageResponse> Stages, string? Output, bool Completed,
    decimal TotalCost, int TotalInputTokens, int TotalOutputTokens, string TotalLatency, int Calls, string? FailedStage);

/// <summary>The answer of <c>GET /api/pipelines/{id}</c> and <c>POST /api/pipelines</c>: the pipeline task and its typed result.</summary>
/// <param name="Task">The pipeline task (its result member holds the same result as JSON).</param>
/// <param name="Result">The typed result; null while it runs.</param>
/// <param name="Created">On submit: true when this submit created it.</param>
public sealed record PipelineResponse(TaskResponse Task, PipelineResultResponse? Result, bool? Created = null);
